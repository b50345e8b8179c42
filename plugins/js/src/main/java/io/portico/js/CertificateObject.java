package io.portico.js;

import io.portico.api.http.ClientCertificate;
import java.util.List;
import java.util.Locale;

/**
 * {@code req.clientCertificate}: the certificate the client presented and Portico verified.
 * Read-only properties {@code subject} and {@code issuer} (RFC 2253: {@code CN=alice,O=Example
 * Corp}), {@code serialNumber} (upper-case hex: {@code 1A2B3C}), {@code sans} (an array of {@code
 * {type, value}}, {@code type} one of {@code DNS}, {@code EMAIL}, {@code URI}, {@code IP}, in the
 * certificate's order), {@code notBefore} and {@code notAfter} (ISO-8601 instants: {@code
 * 2026-12-01T10:00:00Z}). Every value is text, made once when the object is.
 */
final class CertificateObject extends MemberObject {

    private static final String WHAT = "req.clientCertificate";

    private final String subject;
    private final String issuer;
    private final String serialNumber;
    private final ReadOnlyArray sans;
    private final String notBefore;
    private final String notAfter;

    CertificateObject(ClientCertificate cert) {
        super(WHAT, "issuer", "notAfter", "notBefore", "sans", "serialNumber", "subject");
        this.subject = cert.subject();
        this.issuer = cert.issuer();
        this.serialNumber = cert.serialNumber().toString(16).toUpperCase(Locale.ROOT);
        List<ClientCertificate.AltName> names = cert.sans();
        Object[] sanObjects = new Object[names.size()];
        for (int i = 0; i < sanObjects.length; i++) {
            sanObjects[i] = new AltNameObject(WHAT + ".sans[" + i + "]", names.get(i));
        }
        this.sans = new ReadOnlyArray(WHAT + ".sans", sanObjects);
        this.notBefore = cert.notBefore().toString();
        this.notAfter = cert.notAfter().toString();
    }

    @Override
    public Object getMember(String key) {
        return switch (key) {
            case "subject" -> subject;
            case "issuer" -> issuer;
            case "serialNumber" -> serialNumber;
            case "sans" -> sans;
            case "notBefore" -> notBefore;
            case "notAfter" -> notAfter;
            default -> null;
        };
    }

    /** One subject alternative name: {@code {type: 'URI', value: 'spiffe://example.org/billing'}}. */
    private static final class AltNameObject extends MemberObject {

        private final String type;
        private final String value;

        AltNameObject(String what, ClientCertificate.AltName name) {
            super(what, "type", "value");
            this.type = name.kind().name();
            this.value = name.value();
        }

        @Override
        public Object getMember(String key) {
            return switch (key) {
                case "type" -> type;
                case "value" -> value;
                default -> null;
            };
        }
    }
}
