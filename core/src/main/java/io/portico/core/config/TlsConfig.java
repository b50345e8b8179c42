package io.portico.core.config;

import java.time.Duration;
import java.util.List;

/**
 * TLS termination on a listener: the listener speaks HTTPS with the certificates given here, and
 * the requests it proxies carry {@code X-Forwarded-Proto: https}.
 *
 * <pre>{@code
 * listen:
 *   - address: 0.0.0.0:443
 *     tls:
 *       certs:
 *         - {cert: example.pem, key: example-key.pem}          # the default
 *         - {cert: api.pem, key: api-key.pem, hosts: [api.example.org]}
 *       protocols: [TLSv1.3, TLSv1.2]
 *       hsts: {max-age: 365d, include-subdomains: true}
 * }</pre>
 *
 * @param certs the certificates with their keys; a client's SNI name picks one (by the
 *     certificate's {@code hosts}, else the DNS names of its subject alternative names, wildcards
 *     included), the first is used when no name matches or the client sends none
 * @param protocols the TLS versions offered (default {@code [TLSv1.3, TLSv1.2]})
 * @param ciphers the cipher suites offered, by their IANA/JDK names (default: the provider's
 *     secure defaults)
 * @param hsts when present, responses carry {@code Strict-Transport-Security}
 * @param reloadInterval how often the certificate and key files are checked for changes; changed
 *     files are loaded for new handshakes without a restart (default 5s)
 * @param provider the TLS implementation: {@code auto} (the default: OpenSSL when it loads, else
 *     the JDK), {@code openssl} (an error when it does not load) or {@code jdk}
 */
public record TlsConfig(List<Certificate> certs, List<String> protocols, List<String> ciphers, Hsts hsts,
                        Duration reloadInterval, Provider provider) {

    /** Which TLS implementation a listener uses. */
    public enum Provider {
        /** OpenSSL (netty-tcnative's BoringSSL) when it loads, else the JDK. */
        AUTO,
        /** OpenSSL, required. */
        OPENSSL,
        /** The JDK's own TLS. */
        JDK
    }

    /** Applies defaults and validates. */
    public TlsConfig {
        if (certs == null || certs.isEmpty()) {
            throw new IllegalArgumentException("certs: expected at least one {cert: file.pem, key: key.pem}");
        }
        certs = List.copyOf(certs);
        protocols = protocols == null ? List.of("TLSv1.3", "TLSv1.2") : List.copyOf(protocols);
        for (String protocol : protocols) {
            if (!List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1").contains(protocol)) {
                throw new IllegalArgumentException("protocols: expected TLSv1.3, TLSv1.2, TLSv1.1 or TLSv1, got '" + protocol + "'");
            }
        }
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("protocols: expected at least one, such as [TLSv1.3, TLSv1.2]");
        }
        ciphers = ciphers == null ? List.of() : List.copyOf(ciphers);
        reloadInterval = reloadInterval == null ? Duration.ofSeconds(5) : Durations.positive(reloadInterval, "reload-interval");
        provider = provider == null ? Provider.AUTO : provider;
    }

    /**
     * A certificate chain and its private key, as PEM files (relative paths resolve against the
     * configuration file's directory).
     *
     * @param cert the certificate chain: the server's certificate first, then its intermediates
     * @param key the private key: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA
     *     ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC ({@code BEGIN EC PRIVATE KEY}), unencrypted
     * @param hosts the SNI names it serves ({@code *.example.com} matches one label); absent: the
     *     DNS names of the certificate's subject alternative names
     */
    public record Certificate(String cert, String key, List<String> hosts) {

        /** Validates. */
        public Certificate {
            if (cert == null || cert.isBlank()) {
                throw new IllegalArgumentException("cert: expected the path of a PEM certificate chain");
            }
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("key: expected the path of a PEM private key");
            }
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
        }
    }

    /**
     * HTTP Strict Transport Security: tells browsers to use only HTTPS for the host from now on.
     *
     * @param maxAge how long browsers remember it (default 365d)
     * @param includeSubdomains whether it covers the host's subdomains too (default false)
     * @param preload whether to add {@code preload}, the opt-in to browsers' built-in lists (default false)
     */
    public record Hsts(Duration maxAge, boolean includeSubdomains, boolean preload) {

        /** Applies defaults and validates. */
        public Hsts {
            maxAge = maxAge == null ? Duration.ofDays(365) : maxAge;
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("max-age: expected zero or more, got " + maxAge);
            }
        }

        /** The value of the {@code Strict-Transport-Security} header. */
        public String headerValue() {
            return "max-age=" + maxAge.toSeconds() + (includeSubdomains ? "; includeSubDomains" : "") + (preload ? "; preload" : "");
        }
    }
}
