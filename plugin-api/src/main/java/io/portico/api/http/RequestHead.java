package io.portico.api.http;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The request line and headers of a request on its way to the upstream.
 *
 * <p>Request filters may change the method, the target and the headers; the upstream receives
 * the request as the last filter left it. The body is not part of the head and streams separately.
 */
public interface RequestHead {

    /** The method, such as {@code GET}. */
    String method();

    /** Replaces the method. */
    void method(String method);

    /** The path of the request target, without the query, still percent-encoded: {@code /a/b}. */
    String path();

    /** Replaces the path, keeping the query. {@code path} must start with {@code /}. */
    void path(String path);

    /** The raw query string without the leading {@code ?}, or {@code null} when there is none. */
    String query();

    /** The first value of query parameter {@code name}, decoded, or {@code null}. */
    String queryParam(String name);

    /** The request target as sent upstream: path and query, {@code /a/b?c=d}. */
    String uri();

    /** Replaces the request target (path and query). */
    void uri(String uri);

    /** The request headers. */
    Headers headers();

    /** The host the client asked for, from the {@code Host} header, without the port; may be empty. */
    String host();

    /** The address of the client connection (the peer, not an {@code X-Forwarded-For} value). */
    InetSocketAddress clientAddress();

    /** Whether the client connection is TLS. */
    boolean secure();

    /**
     * The TLS session of the client connection: version, cipher suite, SNI name and client
     * certificate. Empty on plain HTTP.
     */
    default Optional<TlsSession> tls() {
        return Optional.empty();
    }

    /**
     * The certificate the client presented and Portico verified, on listeners with
     * {@code client-auth} (mutual TLS). Empty on plain HTTP and when the client sent none.
     */
    default Optional<ClientCertificate> clientCertificate() {
        return tls().map(TlsSession::clientCertificate);
    }
}
