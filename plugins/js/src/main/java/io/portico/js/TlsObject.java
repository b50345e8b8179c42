package io.portico.js;

import io.portico.api.http.TlsSession;

/**
 * {@code req.tls}: what the TLS handshake of the client connection settled. Read-only properties
 * {@code protocol} ({@code TLSv1.3}), {@code cipherSuite} ({@code TLS_AES_128_GCM_SHA256}), {@code
 * serverName} (the SNI name, or {@code null}) and {@code clientCertificate} (a {@link
 * CertificateObject}, or {@code null} when the client presented none).
 *
 * <p>Made for a connection's {@link TlsSession} when a script first reads {@code req.tls} or {@code
 * req.clientCertificate}, and reused while the requests come from that connection; the
 * certificate object is made on the first read of it. Both hold only the session's facts (no
 * exchange), so they stay valid after the call.
 */
final class TlsObject extends MemberObject {

    private final TlsSession session;
    private CertificateObject certificate;

    TlsObject(TlsSession session) {
        super("req.tls", "cipherSuite", "clientCertificate", "protocol", "serverName");
        this.session = session;
    }

    /** Whether this object shows {@code session} (the same connection's). */
    boolean shows(TlsSession session) {
        return this.session == session;
    }

    /** {@code clientCertificate}: the certificate object, or {@code null} when the client presented none. */
    CertificateObject certificate() {
        if (certificate == null && session.clientCertificate() != null) {
            certificate = new CertificateObject(session.clientCertificate());
        }
        return certificate;
    }

    @Override
    public Object getMember(String key) {
        return switch (key) {
            case "protocol" -> session.protocol();
            case "cipherSuite" -> session.cipherSuite();
            case "serverName" -> session.serverName();
            case "clientCertificate" -> certificate();
            default -> null;
        };
    }
}
