package io.portico.bench.jmh;

import io.portico.api.config.ExtensionContext;
import io.portico.api.filter.Filter;
import io.portico.api.filter.FilterResult;
import io.portico.js.JsFilterFactory;
import io.portico.js.engine.JsEngine;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One call of a header-rewriting JavaScript filter at steady state, through the {@code js} filter
 * exactly as a route runs it ({@code Filter.onRequest}/{@code onResponse}: the thread's context, the
 * watchdog's guard, the {@code req}/{@code res}/{@code ctx} objects re-bound to the exchange), on an
 * exchange whose headers are Netty's, as the proxy's are. Each call starts from the same request and
 * response ({@link NettyExchange#reset()}, measured alone by {@link #resetOnly}).
 *
 * <ul>
 *   <li>{@link #rewriteRequest}: {@code onRequest} sets a header, removes one, reads one, reads the
 *       path and sets an attribute.
 *   <li>{@link #securityHeaders}: {@code onResponse} of {@code sdk-examples/js/security-headers.js}:
 *       checks five headers, sets them, removes two.
 *   <li>{@link #requestId}: {@code onRequest} then {@code onResponse} of {@code
 *       sdk-examples/js/add-request-id.js}: a new random id, set on the request, an attribute and
 *       the response.
 * </ul>
 *
 * <p>Wall-clock time, which JMH reports, counts the time the thread waited for a core; on a busy
 * machine the fork also prints, after each iteration, the benchmark thread's CPU time per call
 * ({@code cpu: ... ns/call}), which does not. Neither counts the Graal compiler's threads.
 *
 * <p>Not in {@code benchmarks.jar} (GraalJS is not shaded into it): run it from the module's class
 * path with {@code bench/jmh-js.sh}, which also puts the Graal compiler on the forked JVM's upgrade
 * module path so that scripts are compiled; {@code JS_RUNTIME=interpreted bench/jmh-js.sh} measures
 * without it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsFilterBenchmark {

    static final String REWRITE_REQUEST = """
            export function onRequest(req, ctx) {
              req.headers.set('x-forwarded-proto', 'https');
              req.headers.remove('user-agent');
              if (req.headers.get('x-request-id') === null) {
                req.headers.set('x-request-id', 'bench');
              }
              ctx.attributes.set('bench.path', req.path);
            }
            """;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Filter rewrite;
    private Filter security;
    private Filter requestIds;
    private NettyExchange exchange;

    /** The benchmark thread's CPU time over an iteration, printed per call at its end. */
    @State(Scope.Thread)
    public static class CpuClock {
        long calls;
        long cpuAtStart;

        /** Starts counting. */
        @Setup(Level.Iteration)
        public void start() {
            calls = 0;
            cpuAtStart = THREADS.getCurrentThreadCpuTime();
        }

        /** Prints the CPU time per call of the iteration. */
        @TearDown(Level.Iteration)
        public void report() {
            long cpu = THREADS.getCurrentThreadCpuTime() - cpuAtStart;
            System.out.printf("  cpu: %.0f ns/call (%d calls)%n", cpu / (double) Math.max(1, calls), calls);
        }
    }

    /** Writes the scripts, creates the filters (and the engine), and checks that each does its work. */
    @Setup
    public void setUp() throws IOException {
        Path dir = Files.createTempDirectory("portico-js-bench");
        rewrite = filter(dir, "rewrite-request.js", REWRITE_REQUEST);
        security = filter(dir, "security-headers.js", example("security-headers.js"));
        requestIds = filter(dir, "add-request-id.js", example("add-request-id.js"));
        exchange = new NettyExchange();
        JsEngine engine = JsEngine.shared();
        System.out.printf("%n  JavaScript runtime: %s (%s)%n", engine.optimizing() ? "optimizing" : "interpreted",
                engine.runtimeName());

        rewriteRequest(new CpuClock());
        expect(exchange.request().headers().get("x-request-id"), "bench");
        securityHeaders(new CpuClock());
        expect(exchange.response().headers().get("x-frame-options"), "DENY");
        expect(String.valueOf(exchange.response().headers().contains("server")), "false");
        requestId(new CpuClock());
        expect(exchange.response().headers().get("x-request-id"), exchange.request().headers().get("x-request-id"));
    }

    /** The code of {@code sdk-examples/js/<name>}, packed into the benchmark's resources by its pom. */
    private static String example(String name) throws IOException {
        try (InputStream in = JsFilterBenchmark.class.getResourceAsStream("/sdk-examples/js/" + name)) {
            if (in == null) {
                throw new IOException("sdk-examples/js/" + name + " is not among the benchmark's resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Writes {@code code} to {@code dir/name} and creates the {@code js} filter that runs it. */
    static Filter filter(Path dir, String name, String code) throws IOException {
        Files.writeString(dir.resolve(name), code);
        return new JsFilterFactory().create(new JsFilterFactory.Config(name, Map.of(), false, null, null, null),
                new ExtensionContext() {
                    @Override
                    public Path configDirectory() {
                        return dir;
                    }

                    @Override
                    public String configPath() {
                        return "routes[0].filters[0].js";
                    }
                });
    }

    private static void expect(String actual, String expected) {
        if (expected == null || !expected.equals(actual)) {
            throw new IllegalStateException("the filter did not do its work: expected " + expected + ", got " + actual);
        }
    }

    /** {@code onRequest} rewriting request headers. */
    @Benchmark
    public FilterResult rewriteRequest(CpuClock clock) {
        clock.calls++;
        exchange.reset();
        return rewrite.onRequest(exchange);
    }

    /** {@code onResponse} of the security-headers example. */
    @Benchmark
    public FilterResult securityHeaders(CpuClock clock) {
        clock.calls++;
        exchange.reset();
        return security.onResponse(exchange, exchange.response());
    }

    /** {@code onRequest} and {@code onResponse} of the request-id example: two calls. */
    @Benchmark
    public FilterResult requestId(CpuClock clock) {
        clock.calls++;
        exchange.reset();
        requestIds.onRequest(exchange);
        return requestIds.onResponse(exchange, exchange.response());
    }

    /** What every benchmark above spends outside the filter: putting the exchange back. */
    @Benchmark
    public NettyExchange resetOnly(CpuClock clock) {
        clock.calls++;
        exchange.reset();
        return exchange;
    }
}
