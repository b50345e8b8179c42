package io.portico.api.http;

import java.util.Objects;

/**
 * What the TLS handshake of a client connection settled, read once when it completed.
 *
 * @param protocol the TLS version, {@code TLSv1.3} or {@code TLSv1.2}
 * @param cipherSuite the cipher suite by its IANA name, {@code TLS_AES_128_GCM_SHA256}
 * @param serverName the host name the client asked for by SNI, lower case, or {@code null} when it
 *     sent none
 * @param clientCertificate the client's verified certificate, or {@code null} when it presented
 *     none (on listeners without {@code client-auth}, or with {@code client-auth: request})
 */
public record TlsSession(String protocol, String cipherSuite, String serverName, ClientCertificate clientCertificate) {

    /** Validates. */
    public TlsSession {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
    }
}
