package io.portico.core.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.portico.core.config.ListenerConfig;
import io.portico.core.tls.ClientCertHeaders;

/**
 * What the listener a connection came in on asks of its exchanges.
 *
 * @param secure whether the connection is TLS (requests are forwarded with {@code proto=https})
 * @param hsts the {@code Strict-Transport-Security} value added to responses, or {@code null}
 * @param redirectHttps whether every request is answered with a redirect to {@code https}
 * @param clientCertHeaders the headers that carry client certificates upstream, or {@code null}
 */
record ListenerPolicy(boolean secure, String hsts, boolean redirectHttps, ClientCertHeaders clientCertHeaders) {

    private static final AsciiString STRICT_TRANSPORT_SECURITY = AsciiString.cached("strict-transport-security");

    static ListenerPolicy of(ListenerConfig listener) {
        boolean secure = listener.tls() != null;
        String hsts = secure && listener.tls().hsts() != null ? listener.tls().hsts().headerValue() : null;
        ClientCertHeaders certHeaders = secure ? ClientCertHeaders.of(listener.tls().forwardClientCert()) : null;
        return new ListenerPolicy(secure, hsts, listener.redirectHttps(), certHeaders);
    }

    /** Adds the listener's {@code Strict-Transport-Security} to a response's headers, unless it has one. */
    void addHsts(HttpHeaders headers) {
        if (hsts != null && !headers.contains(STRICT_TRANSPORT_SECURITY)) {
            headers.set(STRICT_TRANSPORT_SECURITY, hsts);
        }
    }

    /** The answer to a request on a {@code redirect-https} listener: 308 to the same URL on https. */
    static FullHttpResponse redirectToHttps(HttpRequest request) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.PERMANENT_REDIRECT,
                Unpooled.EMPTY_BUFFER);
        response.headers()
                .set(HttpHeaderNames.LOCATION, httpsLocation(request.headers().get(HttpHeaderNames.HOST), request.uri()))
                .set(HttpHeaderNames.CONTENT_LENGTH, 0);
        return response;
    }

    /**
     * The {@code https} URL of a request: its host without the port (HTTPS on its default port),
     * and its path and query.
     */
    static String httpsLocation(String host, String uri) {
        String name = host;
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']')) {
            name = host.substring(0, colon);
        }
        String path = uri;
        if (!uri.startsWith("/")) {
            // absolute-form (http://host/path): keep the path and query
            int slash = uri.indexOf('/', uri.indexOf("//") + 2);
            path = slash < 0 ? "/" : uri.substring(slash);
        }
        return "https://" + name + path;
    }
}
