package io.portico.js.bench;

import io.portico.api.filter.AttributeKey;
import io.portico.api.filter.Exchange;
import io.portico.api.http.Headers;
import io.portico.api.http.RequestHead;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * A minimal in-memory exchange, so that the benchmark measures the script call and not a proxy
 * around it: a GET with a few headers, attributes in a map, no body.
 */
final class BenchExchange implements Exchange {

    private final Request request = new Request();
    private final Map<String, Object> attributes = new HashMap<>();

    /** Resets the headers to what a client sends. */
    void reset() {
        request.headers.values.clear();
        request.headers.add("host", "example.com").add("user-agent", "bench/1.0").add("accept", "*/*");
        attributes.clear();
    }

    Headers requestHeaders() {
        return request.headers;
    }

    @Override
    public RequestHead request() {
        return request;
    }

    @Override
    public String routeName() {
        return "bench";
    }

    @Override
    public <T> T attribute(AttributeKey<T> key) {
        return key.type().cast(attributes.get(key.name()));
    }

    @Override
    public <T> void attribute(AttributeKey<T> key, T value) {
        if (value == null) {
            attributes.remove(key.name());
        } else {
            attributes.put(key.name(), value);
        }
    }

    @Override
    public Object attribute(String name) {
        return attributes.get(name);
    }

    @Override
    public Executor executor() {
        return Runnable::run;
    }

    @Override
    public long startNanos() {
        return 0;
    }

    @Override
    public byte[] requestBody() {
        return null;
    }

    @Override
    public void requestBody(byte[] body) {
        throw new IllegalStateException("no body");
    }

    @Override
    public byte[] responseBody() {
        return null;
    }

    @Override
    public void responseBody(byte[] body) {
        throw new IllegalStateException("no body");
    }

    private static final class Request implements RequestHead {
        private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
        private final MapHeaders headers = new MapHeaders();
        private String method = "GET";
        private String uri = "/api/items?page=2";

        @Override public String method() { return method; }
        @Override public void method(String method) { this.method = method; }
        @Override public String path() { int q = uri.indexOf('?'); return q < 0 ? uri : uri.substring(0, q); }
        @Override public void path(String path) { String query = query(); uri = query == null ? path : path + "?" + query; }
        @Override public String query() { int q = uri.indexOf('?'); return q < 0 ? null : uri.substring(q + 1); }
        @Override public String queryParam(String name) { return null; }
        @Override public String uri() { return uri; }
        @Override public void uri(String uri) { this.uri = uri; }
        @Override public Headers headers() { return headers; }
        @Override public String host() { return "example.com"; }
        @Override public InetSocketAddress clientAddress() { return CLIENT; }
        @Override public boolean secure() { return false; }
    }

    private static final class MapHeaders implements Headers {
        final Map<String, List<String>> values = new LinkedHashMap<>();

        private static String key(String name) { return name.toLowerCase(Locale.ROOT); }
        @Override public String get(String name) { List<String> v = values.get(key(name)); return v == null ? null : v.getFirst(); }
        @Override public List<String> getAll(String name) { return values.getOrDefault(key(name), List.of()); }
        @Override public boolean contains(String name) { return values.containsKey(key(name)); }
        @Override public Headers set(String name, String value) { List<String> v = new ArrayList<>(2); v.add(value); values.put(key(name), v); return this; }
        @Override public Headers add(String name, String value) { values.computeIfAbsent(key(name), k -> new ArrayList<>(2)).add(value); return this; }
        @Override public Headers remove(String name) { values.remove(key(name)); return this; }
        @Override public Set<String> names() { return values.keySet(); }
    }
}
