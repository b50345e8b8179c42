package io.portico.core.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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
 *       client-auth: require                                     # mutual TLS
 *       client-ca: clients-ca.pem
 *       forward-client-cert: {subject: X-Client-Subject, sans: X-Client-SANs}
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
 * @param clientAuth whether clients are asked for a certificate (default {@code none})
 * @param clientCa the PEM file of the certificate authorities client certificates must chain to;
 *     required with {@code client-auth}, reloaded with the certificates
 * @param forwardClientCert the request headers that carry the client certificate to the origin,
 *     or {@code null} for none
 */
public record TlsConfig(List<Certificate> certs, List<String> protocols, List<String> ciphers, Hsts hsts,
                        Duration reloadInterval, Provider provider, ClientAuth clientAuth, String clientCa,
                        ForwardClientCert forwardClientCert) {

    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    /** Headers whose removal from every request would break it or its forwarding. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade", "te", "trailer", "expect", "forwarded", "x-forwarded-for", "x-forwarded-proto",
            "x-forwarded-host", "via");

    /** Whether a listener asks its clients for a certificate (mutual TLS). */
    public enum ClientAuth {
        /** No client certificate is asked for. */
        NONE,
        /**
         * A certificate is asked for but optional: a client without one is served; one with a
         * certificate that does not verify against {@code client-ca} fails the handshake.
         */
        REQUEST,
        /** A client must present a certificate that verifies against {@code client-ca}. */
        REQUIRE
    }

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
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
        if (clientAuth != ClientAuth.NONE && (clientCa == null || clientCa.isBlank())) {
            throw new IllegalArgumentException("client-ca: required with client-auth " + clientAuth.name().toLowerCase(Locale.ROOT)
                    + ": the PEM file of the certificate authorities that issue client certificates");
        }
        if (clientAuth == ClientAuth.NONE && clientCa != null) {
            throw new IllegalArgumentException("client-ca: only used with client-auth request or require (client-auth is none)");
        }
        if (clientAuth == ClientAuth.NONE && forwardClientCert != null) {
            throw new IllegalArgumentException("forward-client-cert: needs client-auth request or require (client-auth is none)");
        }
    }

    /** Whether clients are asked for certificates. */
    public boolean clientCertificates() {
        return clientAuth != ClientAuth.NONE;
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

    /**
     * Which facts of the client certificate go to the origin, and in which request headers. Each
     * is a header name, or absent to leave that fact out. Whatever the client sends in these
     * headers is removed from every request of the listener, so an origin can trust them.
     *
     * @param subject the subject DN (RFC 2253), {@code CN=alice,O=Example}
     * @param issuer the issuer DN (RFC 2253)
     * @param serial the serial number in upper-case hex, {@code 1A2B}
     * @param sans the subject alternative names, {@code DNS:a.example, email:x@example, URI:spiffe://e/x, IP:10.0.0.7}
     * @param notBefore the start of validity, ISO 8601 UTC, {@code 2026-01-01T00:00:00Z}
     * @param notAfter the end of validity, ISO 8601 UTC
     * @param cert the whole certificate, PEM, percent-encoded (as nginx's {@code $ssl_client_escaped_cert})
     */
    public record ForwardClientCert(String subject, String issuer, String serial, String sans, String notBefore,
                                    String notAfter, String cert) {

        /** Validates. */
        public ForwardClientCert {
            if (headers(subject, issuer, serial, sans, notBefore, notAfter, cert).isEmpty()) {
                throw new IllegalArgumentException("expected at least one of subject, issuer, serial, sans, not-before,"
                        + " not-after, cert, each naming a request header");
            }
        }

        /**
         * The configured headers by the fact they carry ({@code subject}, {@code sans}, ...), in
         * the order above.
         */
        public Map<String, String> headers() {
            return headers(subject, issuer, serial, sans, notBefore, notAfter, cert);
        }

        private static Map<String, String> headers(String... names) {
            String[] facts = {"subject", "issuer", "serial", "sans", "not-before", "not-after", "cert"};
            Map<String, String> headers = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < facts.length; i++) {
                String name = names[i];
                if (name == null) {
                    continue;
                }
                if (!HEADER_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException(facts[i] + ": expected a header name (letters, digits, '-'), got '" + name + "'");
                }
                String lower = name.toLowerCase(Locale.ROOT);
                if (RESERVED_HEADERS.contains(lower)) {
                    throw new IllegalArgumentException(facts[i] + ": " + name + " frames or forwards the request; choose another header");
                }
                if (!seen.add(lower)) {
                    throw new IllegalArgumentException(facts[i] + ": header " + name + " is already used for another fact");
                }
                headers.put(facts[i], name);
            }
            return headers;
        }
    }
}
