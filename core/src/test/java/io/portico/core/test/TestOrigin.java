package io.portico.core.test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP origin for tests (the JDK's HTTP server on a free loopback port), with a
 * programmable handler and a record of the requests it received.
 *
 * <pre>{@code
 * try (TestOrigin origin = TestOrigin.start(TestOrigin.text("hello"))) {
 *     ... proxy to "127.0.0.1:" + origin.port() ...
 *     assertThat(origin.takeRequest().headers().get("x-forwarded-for")).isEqualTo(...);
 * }
 * }</pre>
 */
public final class TestOrigin implements AutoCloseable {

    /** A request as the origin received it, with the port of the connection it came on. Header names are lower case. */
    public record Received(String method, String uri, Map<String, List<String>> headers, byte[] body, int remotePort) {
        /** The first value of header {@code name} (lower case), or null. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Answers a request; may read its body. */
    @FunctionalInterface
    public interface Handler {
        /** Sends the response. */
        void handle(HttpExchange exchange, Received request) throws IOException;
    }

    static {
        // The JDK server writes a response head and its body separately: with Nagle's algorithm
        // on, the body waits for the peer's delayed ACK of the head (up to 40 ms per response).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    private TestOrigin(HttpServer server) {
        this.server = server;
    }

    /** Starts an origin on a free port of 127.0.0.1. */
    public static TestOrigin start(Handler handler) {
        return start(new InetSocketAddress("127.0.0.1", 0), handler);
    }

    /** Starts an origin on {@code address}, such as another loopback address with the port of an origin already running. */
    public static TestOrigin start(InetSocketAddress address, Handler handler) {
        try {
            HttpServer server = HttpServer.create(address, 128);
            TestOrigin origin = new TestOrigin(server);
            server.createContext("/", origin.recording(handler));
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return origin;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A handler answering 200 with {@code body} as text. */
    public static Handler text(String body) {
        return (exchange, request) -> respond(exchange, 200, body);
    }

    /** A handler answering 200 with the request's method, URI and body: {@code POST /a?b\n<body>}. */
    public static Handler echo() {
        return (exchange, request) -> respond(exchange, 200, request.method() + " " + request.uri() + "\n" + request.text());
    }

    /** Sends {@code status} with {@code body} as text, with a Content-Length. */
    public static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    private HttpHandler recording(Handler handler) {
        return exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values));
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body,
                    exchange.getRemoteAddress().getPort());
            received.add(request);
            try {
                handler.handle(exchange, request);
            } finally {
                exchange.close();
            }
        };
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code 127.0.0.1:<port>}. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /**
     * The next request received, waiting up to 10 seconds.
     *
     * @throws AssertionError when none arrives
     */
    public Received takeRequest() {
        try {
            Received r = received.poll(10, TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError("the origin received no request");
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** How many requests it has received and not yet taken. */
    public int pendingRequests() {
        return received.size();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
