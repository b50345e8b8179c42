package io.portico.core.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.portico.api.http.Headers;
import io.portico.api.http.RequestHead;
import io.portico.api.http.TlsSession;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link RequestHead} of a request being proxied: a view over Netty's request, which is the
 * very object later written upstream, so changes cost no copy.
 */
final class ProxiedRequest implements RequestHead {

    private final HttpRequest request;
    private final InetSocketAddress client;
    private final boolean secure;
    private final TlsSession tls;
    private final NettyHeaders headers;
    private Map<String, List<String>> queryParams;

    /** @param tls the client connection's TLS session, or {@code null} */
    ProxiedRequest(HttpRequest request, InetSocketAddress client, boolean secure, TlsSession tls) {
        this.request = request;
        this.client = client;
        this.secure = secure;
        this.tls = tls;
        this.headers = new NettyHeaders(request.headers());
    }

    HttpRequest netty() {
        return request;
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public void method(String method) {
        request.setMethod(HttpMethod.valueOf(method));
    }

    @Override
    public String path() {
        String uri = request.uri();
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    @Override
    public void path(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a path must start with '/', got '" + path + "'");
        }
        String query = query();
        uri(query == null ? path : path + '?' + query);
    }

    @Override
    public String query() {
        String uri = request.uri();
        int q = uri.indexOf('?');
        return q < 0 ? null : uri.substring(q + 1);
    }

    @Override
    public String queryParam(String name) {
        if (queryParams == null) {
            String query = query();
            queryParams = query == null ? Map.of() : new QueryStringDecoder(query, false).parameters();
        }
        List<String> values = queryParams.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    @Override
    public String uri() {
        return request.uri();
    }

    @Override
    public void uri(String uri) {
        request.setUri(uri);
        queryParams = null;
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public String host() {
        String host = request.headers().get(HttpHeaderNames.HOST);
        return host == null ? "" : stripPort(host);
    }

    static String stripPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    @Override
    public InetSocketAddress clientAddress() {
        return client;
    }

    @Override
    public boolean secure() {
        return secure;
    }

    @Override
    public Optional<TlsSession> tls() {
        return Optional.ofNullable(tls);
    }
}
