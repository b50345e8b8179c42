package io.portico.js.bench;

import io.portico.api.config.ExtensionContext;
import io.portico.api.filter.Filter;
import io.portico.api.filter.FilterResult;
import io.portico.js.JsFilterFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * One call of a header-rewriting JavaScript filter at steady state, through the real {@code js}
 * filter (context per thread, watchdog guard, proxies), on an in-memory exchange.
 *
 * <p>Run with {@code java -cp <test class path> io.portico.js.bench.HeaderFilterBenchmark}; add
 * the Graal compiler flags (docs/js-filters.md) to the forked JVM with {@code -Djs.bench.jvmArgs=...}
 * to measure the optimizing runtime.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HeaderFilterBenchmark {

    static final String SCRIPT = """
            export function onRequest(req, ctx) {
              req.headers.set('x-forwarded-proto', 'https');
              req.headers.remove('user-agent');
              if (req.headers.get('x-request-id') === null) {
                req.headers.set('x-request-id', 'bench');
              }
              ctx.attributes.set('bench.path', req.path);
            }
            """;

    private Filter filter;
    private BenchExchange exchange;

    @Setup
    public void setUp() throws IOException {
        Path dir = Files.createTempDirectory("js-bench");
        Files.writeString(dir.resolve("rewrite.js"), SCRIPT);
        ExtensionContext context = new ExtensionContext() {
            @Override
            public Path configDirectory() {
                return dir;
            }

            @Override
            public String configPath() {
                return "routes[0].filters[0].js";
            }
        };
        filter = new JsFilterFactory().create(
                new JsFilterFactory.Config("rewrite.js", Map.of(), false, null, null, null), context);
        exchange = new BenchExchange();
    }

    @Benchmark
    public FilterResult rewriteHeaders() {
        exchange.reset();
        return filter.onRequest(exchange);
    }

    @Benchmark
    public Object baselineReset() {
        exchange.reset();
        return exchange;
    }

    /** Runs the benchmark; extra JVM arguments for the fork come from {@code -Djs.bench.jvmArgs}. */
    public static void main(String[] args) throws RunnerException {
        String extra = System.getProperty("js.bench.jvmArgs", "");
        new Runner(new OptionsBuilder()
                .include(HeaderFilterBenchmark.class.getSimpleName())
                .jvmArgsAppend(extra.isBlank() ? new String[0] : extra.trim().split("\\s+"))
                .build()).run();
    }
}
