package io.portico.bench.jmh;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.portico.api.filter.AttributeKey;
import io.portico.api.filter.Exchange;
import io.portico.api.http.Headers;
import io.portico.api.http.RequestHead;
import io.portico.api.http.ResponseHead;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;

/**
 * An exchange as filters see it, without a connection: a GET with the headers a browser sends and a
 * 200 response with the headers an application server sends, both held in Netty's {@link
 * DefaultHttpHeaders} as the proxy holds them, and attributes in a map. {@link #reset()} puts both
 * heads back as they arrived, so that every call of a filter does the same work.
 */
final class NettyExchange implements Exchange {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 51234);

    private final Request request = new Request();
    private final Response response = new Response();
    private final Map<String, Object> attributes = new HashMap<>();

    /** Puts the request and response back as they arrived, and forgets the attributes. */
    void reset() {
        request.method = "GET";
        request.uri = "/api/items?page=2";
        request.headers.netty.clear()
                .add("host", "shop.example.com")
                .add("user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0")
                .add("accept", "application/json")
                .add("accept-encoding", "gzip, deflate, br");
        response.status = 200;
        response.headers.netty.clear()
                .add("content-type", "application/json")
                .add("content-length", "1342")
                .add("server", "gunicorn")
                .add("x-powered-by", "Flask");
        attributes.clear();
    }

    /** The response head, for {@code onResponse}. */
    ResponseHead response() {
        return response;
    }

    @Override
    public RequestHead request() {
        return request;
    }

    @Override
    public String routeName() {
        return "routes[0]";
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
        throw new IllegalStateException("the benchmark's filters hold no body");
    }

    @Override
    public byte[] responseBody() {
        return null;
    }

    @Override
    public void responseBody(byte[] body) {
        throw new IllegalStateException("the benchmark's filters hold no body");
    }

    private static final class Request implements RequestHead {
        private final NettyBacked headers = new NettyBacked();
        private String method;
        private String uri;

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
            int q = uri.indexOf('?');
            return q < 0 ? uri : uri.substring(0, q);
        }

        @Override
        public void path(String path) {
            String query = query();
            uri = query == null ? path : path + "?" + query;
        }

        @Override
        public String query() {
            int q = uri.indexOf('?');
            return q < 0 ? null : uri.substring(q + 1);
        }

        @Override
        public String queryParam(String name) {
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
            return headers;
        }

        @Override
        public String host() {
            return "shop.example.com";
        }

        @Override
        public InetSocketAddress clientAddress() {
            return CLIENT;
        }

        @Override
        public boolean secure() {
            return true;
        }
    }

    private static final class Response implements ResponseHead {
        private final NettyBacked headers = new NettyBacked();
        private int status;

        @Override
        public int status() {
            return status;
        }

        @Override
        public void status(int status) {
            this.status = status;
        }

        @Override
        public Headers headers() {
            return headers;
        }
    }

    /** {@link Headers} over Netty's headers, which compare names case-insensitively. */
    private static final class NettyBacked implements Headers {
        final HttpHeaders netty = new DefaultHttpHeaders();

        @Override
        public String get(String name) {
            return netty.get(name);
        }

        @Override
        public List<String> getAll(String name) {
            return netty.getAll(name);
        }

        @Override
        public boolean contains(String name) {
            return netty.contains(name);
        }

        @Override
        public Headers set(String name, String value) {
            netty.set(name, value);
            return this;
        }

        @Override
        public Headers add(String name, String value) {
            netty.add(name, value);
            return this;
        }

        @Override
        public Headers remove(String name) {
            netty.remove(name);
            return this;
        }

        @Override
        public Set<String> names() {
            Set<String> names = new TreeSet<>();
            netty.names().forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
            return names;
        }
    }
}
