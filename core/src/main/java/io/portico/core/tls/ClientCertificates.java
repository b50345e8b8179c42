package io.portico.core.tls;

import io.portico.api.http.ClientCertificate;
import io.portico.api.http.ClientCertificate.AltName;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/** Reads the facts the plugin API shows of a client certificate. */
final class ClientCertificates {

    private ClientCertificates() {
    }

    /** The subject, issuer, serial, names and validity of {@code cert}. */
    static ClientCertificate of(X509Certificate cert) {
        return new ClientCertificate(
                cert.getSubjectX500Principal().getName(X500Principal.RFC2253),
                cert.getIssuerX500Principal().getName(X500Principal.RFC2253),
                cert.getSerialNumber(),
                altNames(cert),
                cert.getNotBefore().toInstant(),
                cert.getNotAfter().toInstant(),
                cert);
    }

    /** The DNS, email, URI and IP subject alternative names, in order (RFC 5280 GeneralName tags). */
    private static List<AltName> altNames(X509Certificate cert) {
        Collection<List<?>> entries;
        try {
            entries = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            // The handshake verified the certificate; an extension the JDK cannot read lists no names.
            return List.of();
        }
        if (entries == null) {
            return List.of();
        }
        List<AltName> names = new ArrayList<>(entries.size());
        for (List<?> entry : entries) {
            AltName.Kind kind = switch ((Integer) entry.get(0)) {
                case 1 -> AltName.Kind.EMAIL;
                case 2 -> AltName.Kind.DNS;
                case 6 -> AltName.Kind.URI;
                case 7 -> AltName.Kind.IP;
                default -> null;
            };
            if (kind != null && entry.get(1) instanceof String value) {
                names.add(new AltName(kind, value));
            }
        }
        return names;
    }
}
