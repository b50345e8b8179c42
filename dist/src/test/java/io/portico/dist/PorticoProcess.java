package io.portico.dist;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * Portico started through a launcher script as its own process, the way an operator or a service
 * manager starts it, with its standard output and error captured in files.
 *
 * <p>The process runs on the Java of the test ({@code JAVA_HOME} is set to the test JVM's
 * {@code java.home}); the user's JVM option variables are cleared so that they cannot change what
 * is tested.
 */
final class PorticoProcess implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private PorticoProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Runs {@code launcher} with {@code args} in {@code workingDir}; its output goes to
     * {@code stdout.log} and {@code stderr.log} in a new directory under {@code logs}.
     */
    static PorticoProcess start(Path launcher, Path workingDir, Path logs, String... args) throws IOException {
        return start(launcher, workingDir, logs, Map.of(), args);
    }

    /** As {@link #start(Path, Path, Path, String...)}, with {@code environment} added to the process's. */
    static PorticoProcess start(Path launcher, Path workingDir, Path logs, Map<String, String> environment,
            String... args) throws IOException {
        Path dir = Files.createTempDirectory(logs, "run-");
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .redirectError(dir.resolve("stderr.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("JAVA_OPTS");
        env.remove("PORTICO_JAVA_OPTS");
        env.remove("PORTICO_LOG_LEVEL");
        env.putAll(environment);
        return new PorticoProcess(builder.start(), dir.resolve("stdout.log"), dir.resolve("stderr.log"));
    }

    /** What the process wrote to its standard output so far: the server log and the access log. */
    String stdout() {
        return read(stdout);
    }

    /** What the process wrote to its standard error so far. */
    String stderr() {
        return read(stderr);
    }

    /**
     * Waits until GET {@code uri} is answered (with any status), and returns that first answer.
     *
     * @throws AssertionError when the process exits first, or nothing answers within a minute;
     *     the message carries the process's output
     */
    HttpResponse<String> awaitAnswer(URI uri) {
        AtomicReference<HttpResponse<String>> answer = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .failFast("Portico exited", () -> !process.isAlive())
                    .until(() -> {
                        answer.set(get(uri));
                        return true;
                    });
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError("Portico did not answer " + uri + " (" + e.getMessage() + ")\n" + output(), e);
        }
        return answer.get();
    }

    /** Sends GET {@code uri}. */
    static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri));
    }

    /**
     * A loopback port free right now, for a Portico to listen on: it binds by itself in another
     * process, so the test cannot hand it a bound socket.
     */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Sends {@code request}; the response body as text. */
    static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Waits for the process to exit on its own.
     *
     * @return its exit status
     * @throws AssertionError when it is still running after {@code within}
     */
    int awaitExit(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("Portico still runs after " + within + "\n" + output());
        }
        return process.exitValue();
    }

    /** Sends SIGTERM (as {@code kill} and service managers do) and waits for the exit. */
    int terminate(Duration within) throws InterruptedException {
        process.destroy();
        return awaitExit(within);
    }

    /** Both outputs, for failure messages. */
    String output() {
        return "--- stdout ---\n" + stdout() + "--- stderr ---\n" + stderr();
    }

    /** Kills the process if a test left it running. */
    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
