package io.portico.plugins.balancers;

import io.portico.api.balancer.SelectionContext;
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

/** An in-memory request head, and the selection context around it. */
final class TestRequest implements RequestHead, SelectionContext {

    private final Map<String, List<String>> headerValues = new LinkedHashMap<>();
    private final InetSocketAddress client;
    private String uri;
    private int attempt;

    private TestRequest(String uri, InetSocketAddress client) {
        this.uri = uri;
        this.client = client;
    }

    /** A GET of {@code uri} from 192.0.2.1. */
    static TestRequest get(String uri) {
        return new TestRequest(uri, new InetSocketAddress("192.0.2.1", 40000));
    }

    /** A GET of {@code /} from {@code address}. */
    static TestRequest from(String address, int port) {
        return new TestRequest("/", new InetSocketAddress(address, port));
    }

    /** Adds a header. */
    TestRequest header(String name, String value) {
        headersView.add(name, value);
        return this;
    }

    /** Marks this as a retry: the {@code attempt}-th pick for the request. */
    TestRequest attempt(int attempt) {
        this.attempt = attempt;
        return this;
    }

    @Override
    public InetSocketAddress clientAddress() {
        return client;
    }

    @Override
    public RequestHead request() {
        return this;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public void method(String method) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String path() {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    @Override
    public void path(String path) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String query() {
        int q = uri.indexOf('?');
        return q < 0 ? null : uri.substring(q + 1);
    }

    @Override
    public String queryParam(String name) {
        String query = query();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public void uri(String uri) {
        this.uri = uri;
    }

    @Override
    public Headers headers() {
        return headersView;
    }

    @Override
    public String host() {
        return "";
    }

    @Override
    public boolean secure() {
        return false;
    }

    private final Headers headersView = new Headers() {
        @Override
        public String get(String name) {
            List<String> values = headerValues.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.getFirst();
        }

        @Override
        public List<String> getAll(String name) {
            return List.copyOf(headerValues.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
        }

        @Override
        public boolean contains(String name) {
            return headerValues.containsKey(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public Headers set(String name, String value) {
            headerValues.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(List.of(value)));
            return this;
        }

        @Override
        public Headers add(String name, String value) {
            headerValues.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
            return this;
        }

        @Override
        public Headers remove(String name) {
            headerValues.remove(name.toLowerCase(Locale.ROOT));
            return this;
        }

        @Override
        public Set<String> names() {
            return headerValues.keySet();
        }
    };
}
