package io.portico.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An HTTP server standing in for the service behind Portico: it answers as told and records what
 * it received.
 *
 * <p>Until told otherwise an origin answers every request with {@code 200} and the text {@code
 * origin N} (N its index in {@link PorticoExtension#origin(int)}). {@link #respond} replaces the
 * answer, for the requests that follow. Listens on 127.0.0.1 on a free port; thread-safe.
 */
public final class Origin implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<OriginRequest> requests = new CopyOnWriteArrayList<>();
    private final Function<OriginRequest, OriginResponse> greeting;
    private volatile Function<OriginRequest, OriginResponse> handler;

    private Origin(String name) {
        this.greeting = request -> OriginResponse.text(200, name);
        this.handler = greeting;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start an origin", e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts an origin that answers {@code 200} with the text {@code name}. */
    public static Origin start(String name) {
        return new Origin(name);
    }

    /** From now on, answers each request with what {@code handler} returns for it. */
    public Origin respond(Function<OriginRequest, OriginResponse> handler) {
        this.handler = handler;
        return this;
    }

    /** Forgets the requests received and answers with its name again. */
    public void reset() {
        handler = greeting;
        requests.clear();
    }

    /** {@code 127.0.0.1:PORT}, as an upstream's endpoint in a configuration. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The requests received so far, oldest first. */
    public List<OriginRequest> requests() {
        return List.copyOf(requests);
    }

    /** The latest request received; fails when there was none. */
    public OriginRequest lastRequest() {
        List<OriginRequest> received = requests();
        if (received.isEmpty()) {
            throw new AssertionError("the origin at " + address() + " received no request");
        }
        return received.getLast();
    }

    /** Stops listening. */
    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            OriginRequest request = new OriginRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(), headers, body);
            requests.add(request);
            OriginResponse response = handler.apply(request);
            response.headers().forEach(exchange.getResponseHeaders()::set);
            byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
