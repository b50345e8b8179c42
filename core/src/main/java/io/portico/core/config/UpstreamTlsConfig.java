package io.portico.core.config;

import java.util.List;

/**
 * TLS from Portico to the endpoints of an upstream. Its presence turns TLS on; every key is
 * optional.
 *
 * <pre>{@code
 * upstreams:
 *   api:
 *     endpoints: [api-1.internal:8443, 10.0.0.7:8443]
 *     tls:
 *       ca: internal-ca.pem          # trust these instead of the JDK's trust store
 *       server-name: api.internal    # SNI and the name the certificate must carry
 *       cert: portico.pem            # a client certificate, for origins that require one
 *       key: portico-key.pem
 * }</pre>
 *
 * @param ca a PEM file of the certificates to trust (default: the JDK's trust store)
 * @param verify whether the origin's certificate is verified: its chain against the trusted
 *     certificates and its name against {@code server-name} (default {@code true}); {@code false}
 *     accepts any certificate, and is logged as a warning at startup
 * @param serverName the name sent as SNI and checked against the certificate (default: the
 *     endpoint's host when it is a name; an endpoint written as an IP address is checked against
 *     the certificate's IP addresses and sends no SNI)
 * @param cert a PEM client certificate chain presented to origins that ask for one (mutual TLS);
 *     needs {@code key}
 * @param key the client certificate's PEM private key, unencrypted
 * @param protocols the TLS versions offered (default {@code [TLSv1.3, TLSv1.2]})
 */
public record UpstreamTlsConfig(String ca, Boolean verify, String serverName, String cert, String key,
                                List<String> protocols) {

    /** Applies defaults and validates. */
    public UpstreamTlsConfig {
        verify = verify == null || verify;
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException(cert == null
                    ? "key without cert: a client certificate needs both cert and key"
                    : "cert without key: a client certificate needs both cert and key");
        }
        if (serverName != null && serverName.isBlank()) {
            throw new IllegalArgumentException("server-name: expected a host name such as api.internal");
        }
        protocols = protocols == null ? List.of("TLSv1.3", "TLSv1.2") : List.copyOf(protocols);
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("protocols: expected at least one, such as [TLSv1.3, TLSv1.2]");
        }
        for (String protocol : protocols) {
            if (!List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1").contains(protocol)) {
                throw new IllegalArgumentException("protocols: expected TLSv1.3, TLSv1.2, TLSv1.1 or TLSv1, got '" + protocol + "'");
            }
        }
    }
}
