package io.portico.api.http;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The certificate a client presented in its TLS handshake, after Portico verified it against the
 * listener's {@code client-ca} (mutual TLS). Its fields are read once per connection, when the
 * handshake completes.
 *
 * <pre>{@code
 * request.clientCertificate()
 *         .filter(cert -> cert.sans(ClientCertificate.AltName.Kind.URI).contains("spiffe://example.org/billing"))
 *         .isPresent();
 * }</pre>
 *
 * @param subject the subject's distinguished name in RFC 2253 form, {@code CN=alice,O=Example}
 * @param issuer the issuer's distinguished name in RFC 2253 form
 * @param serialNumber the serial number ({@code serialNumber().toString(16)} is the usual hex form)
 * @param sans the subject alternative names of the kinds in {@link AltName.Kind}, in the
 *     certificate's order; other kinds (directory names, other names) are left out
 * @param notBefore the start of the validity period
 * @param notAfter the end of the validity period
 * @param certificate the certificate itself, for anything else (extensions, key, fingerprint)
 */
public record ClientCertificate(String subject, String issuer, BigInteger serialNumber, List<AltName> sans,
                                Instant notBefore, Instant notAfter, X509Certificate certificate) {

    /** Validates and copies. */
    public ClientCertificate {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(certificate, "certificate");
        sans = List.copyOf(sans);
    }

    /** The values of the subject alternative names of one kind, such as every DNS name. */
    public List<String> sans(AltName.Kind kind) {
        return sans.stream().filter(name -> name.kind() == kind).map(AltName::value).toList();
    }

    /**
     * One subject alternative name.
     *
     * @param kind what the name is
     * @param value the name: {@code client.example.org}, {@code alice@example.org},
     *     {@code spiffe://example.org/billing}, {@code 10.0.0.7} or {@code 2001:db8:0:0:0:0:0:1}
     */
    public record AltName(Kind kind, String value) {

        /** The kinds of subject alternative name that are listed. */
        public enum Kind {
            /** A DNS name ({@code dNSName}). */
            DNS,
            /** An email address ({@code rfc822Name}). */
            EMAIL,
            /** A URI ({@code uniformResourceIdentifier}), such as a SPIFFE ID. */
            URI,
            /** An IPv4 or IPv6 address ({@code iPAddress}). */
            IP
        }

        /** Validates. */
        public AltName {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(value, "value");
        }

        /** The name as OpenSSL prints it, prefixed by its kind: {@code DNS:client.example.org}, {@code IP:10.0.0.7}. */
        @Override
        public String toString() {
            return switch (kind) {
                case DNS -> "DNS:";
                case EMAIL -> "email:";
                case URI -> "URI:";
                case IP -> "IP:";
            } + value;
        }
    }
}
