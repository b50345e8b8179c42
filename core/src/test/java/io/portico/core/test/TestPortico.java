package io.portico.core.test;

import io.portico.core.Portico;
import io.portico.core.config.ConfigLoader;
import io.portico.core.config.PorticoConfig;
import io.portico.core.upstream.Upstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Starts a real Portico in-process from a YAML text, on a free port of 127.0.0.1 unless the YAML
 * says otherwise, and sends it requests with the JDK's HTTP client.
 *
 * <pre>{@code
 * try (TestPortico portico = TestPortico.start("""
 *         upstreams: {app: {balancer: sequential, endpoints: [%s]}}
 *         routes: [{upstream: app}]
 *         """.formatted(origin.address()))) {
 *     assertThat(portico.get("/").body()).isEqualTo("hello");
 * }
 * }</pre>
 */
public final class TestPortico implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final Portico portico;

    private TestPortico(Portico portico) {
        this.portico = portico;
    }

    /** Starts Portico from {@code yaml}; a missing {@code listen} key means 127.0.0.1:0. */
    public static TestPortico start(String yaml) {
        String text = yaml.contains("listen:") ? yaml : "listen: [{address: '127.0.0.1:0'}]\n" + yaml;
        Path pretend = Path.of("test-portico.yaml").toAbsolutePath();
        PorticoConfig config = ConfigLoader.parse(text, pretend);
        return new TestPortico(Portico.start(config, pretend));
    }

    /**
     * Starts Portico from the configuration file {@code file}, as {@code portico --config file}
     * does: relative paths in it (the plugins directory) resolve against its directory. The file
     * says where to listen; give it {@code 127.0.0.1:0}.
     */
    public static TestPortico start(Path file) {
        return new TestPortico(Portico.start(ConfigLoader.load(file), file));
    }

    /** The port Portico listens on. */
    public int port() {
        return portico.port();
    }

    /** The running Portico. */
    public Portico portico() {
        return portico;
    }

    /** The upstream {@code name} of the running configuration, with its endpoints and balancer. */
    public Upstream upstream(String name) {
        return portico.runtime().upstreams().get(name);
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** Sends GET {@code path} and reads the response as text. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build());
    }

    /** Sends {@code request} and reads the response as text. */
    public HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The shared JDK client. */
    public static HttpClient client() {
        return CLIENT;
    }

    @Override
    public void close() {
        portico.close();
    }
}
