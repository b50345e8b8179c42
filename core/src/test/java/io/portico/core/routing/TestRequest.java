package io.portico.core.routing;

import io.portico.api.http.Headers;
import io.portico.api.http.RequestHead;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** An in-memory request head for routing tests. */
final class TestRequest implements RequestHead {

    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private String method;
    private String path;
    private String query;
    private String host = "";

    private TestRequest(String method, String uri) {
        this.method = method;
        uri(uri);
    }

    /** A request for {@code uri} (path and optional query) with no Host. */
    static TestRequest of(String method, String uri) {
        return new TestRequest(method, uri);
    }

    /** A GET for {@code uri}. */
    static TestRequest get(String uri) {
        return new TestRequest("GET", uri);
    }

    /** Sets the host, as {@code RequestHead.host()} reports it (without port). */
    TestRequest host(String host) {
        this.host = host;
        return this;
    }

    /** Adds a header. */
    TestRequest header(String name, String value) {
        headers().add(name, value);
        return this;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public void method(String method) {
        this.method = method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public void path(String path) {
        this.path = path;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public String queryParam(String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public String uri() {
        return query == null ? path : path + "?" + query;
    }

    @Override
    public void uri(String uri) {
        int mark = uri.indexOf('?');
        this.path = mark < 0 ? uri : uri.substring(0, mark);
        this.query = mark < 0 ? null : uri.substring(mark + 1);
    }

    @Override
    public Headers headers() {
        return new Headers() {
            @Override
            public String get(String name) {
                List<String> values = getAll(name);
                return values.isEmpty() ? null : values.getFirst();
            }

            @Override
            public List<String> getAll(String name) {
                return headers.getOrDefault(key(name), List.of());
            }

            @Override
            public boolean contains(String name) {
                return headers.containsKey(key(name));
            }

            @Override
            public Headers set(String name, String value) {
                headers.put(key(name), new ArrayList<>(List.of(value)));
                return this;
            }

            @Override
            public Headers add(String name, String value) {
                headers.computeIfAbsent(key(name), k -> new ArrayList<>()).add(value);
                return this;
            }

            @Override
            public Headers remove(String name) {
                headers.remove(key(name));
                return this;
            }

            @Override
            public Set<String> names() {
                return Set.copyOf(headers.keySet());
            }

            private static String key(String name) {
                return name.toLowerCase(Locale.ROOT);
            }
        };
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public InetSocketAddress clientAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public boolean secure() {
        return false;
    }
}
