package io.portico.testkit;

import io.portico.core.Portico;
import io.portico.core.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a real Portico in the test's JVM, in front of programmable {@link Origin}s, so that a plugin
 * is tested the way it is used: named in a configuration, serving requests.
 *
 * <pre>{@code
 * class MyBalancerTest {
 *     @RegisterExtension
 *     static final PorticoExtension portico = PorticoExtension.withConfig("""
 *             upstreams:
 *               app: {balancer: my-balancer, endpoints: [${origin0}, ${origin1}]}
 *             routes:
 *               - match: {path: /}
 *                 upstream: app
 *             """).origins(2);
 *
 *     @Test
 *     void picksTheFirstOrigin() {
 *         assertThat(portico.get("/").body()).isEqualTo("origin 0");
 *     }
 * }
 * }</pre>
 *
 * <p>The plugin under test needs no packaging: its extensions are found on the test's class path
 * (through the {@code META-INF/extensions.idx} its compile wrote), as Portico finds built-in ones.
 * Plugin files given to {@link #pluginFile} are copied into the plugins directory, to test a plugin
 * with others, or a packaged jar.
 *
 * <p>In the configuration, {@code ${originN}} stands for the address of origin N ({@code
 * 127.0.0.1:PORT}); without a {@code listen} key Portico listens on a free port of 127.0.0.1. A
 * configuration error fails the test with Portico's message, which names the key path.
 *
 * <p>In a {@code static} field, one Portico serves all the tests of the class; in an instance
 * field, each test gets its own. Either way every test begins with origins that have received
 * nothing and answer {@code 200} with the text {@code origin N}.
 */
public final class PorticoExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String yaml;
    private final List<Path> pluginFiles = new ArrayList<>();
    private int originCount = 1;

    private final List<Origin> origins = new ArrayList<>();
    private Path directory;
    private Portico portico;
    private boolean perClass;

    private PorticoExtension(String yaml) {
        this.yaml = yaml;
    }

    /** A Portico configured by {@code yaml}, which may refer to the origins as {@code ${originN}}. */
    public static PorticoExtension withConfig(String yaml) {
        return new PorticoExtension(yaml);
    }

    /** Starts {@code count} origins (default 1), {@code ${origin0}} to {@code ${origin<count-1>}}. */
    public PorticoExtension origins(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("the number of origins cannot be negative, got " + count);
        }
        this.originCount = count;
        return this;
    }

    /** Copies the plugin jar or zip {@code file} into Portico's plugins directory before it starts. */
    public PorticoExtension pluginFile(Path file) {
        pluginFiles.add(file);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perClass) {
            origins.forEach(Origin::reset);
        } else {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** The running Portico, for what the helpers here do not cover. */
    public Portico portico() {
        if (portico == null) {
            throw new IllegalStateException("Portico runs only during a test: register the extension with @RegisterExtension");
        }
        return portico;
    }

    /** Origin {@code index}, from 0. */
    public Origin origin(int index) {
        if (index < 0 || index >= origins.size()) {
            throw new IndexOutOfBoundsException("no origin " + index + ": there are " + origins.size()
                    + " (set how many with origins(n))");
        }
        return origins.get(index);
    }

    /** {@code http://127.0.0.1:PORT/path} of Portico's first listener. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + portico().port() + path);
    }

    /** Sends {@code GET path} through Portico; the response body as text. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)));
    }

    /**
     * Sends a request through Portico; the response body as text.
     *
     * <pre>{@code
     * portico.send(HttpRequest.newBuilder(portico.uri("/api")).header("x-api-key", "secret"));
     * }</pre>
     */
    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Portico's answer", e);
        }
    }

    private void start() {
        try {
            directory = Files.createTempDirectory("portico-test");
            Path plugins = Files.createDirectory(directory.resolve("plugins"));
            for (Path file : pluginFiles) {
                Files.copy(file, plugins.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            for (int i = 0; i < originCount; i++) {
                origins.add(Origin.start("origin " + i));
            }
            String text = yaml;
            for (int i = 0; i < originCount; i++) {
                text = text.replace("${origin" + i + "}", origins.get(i).address());
            }
            if (!text.contains("listen:")) {
                text = "listen: [{address: '127.0.0.1:0'}]\n" + text;
            }
            Path file = Files.writeString(directory.resolve("portico.yaml"), text);
            portico = Portico.start(ConfigLoader.load(file), file);
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("cannot prepare Portico's directory", e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void stop() {
        if (portico != null) {
            portico.close();
            portico = null;
        }
        origins.forEach(Origin::close);
        origins.clear();
        if (directory != null) {
            deleteTree(directory);
            directory = null;
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
