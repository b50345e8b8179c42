package io.portico.js.bench;

import io.portico.api.config.ExtensionContext;
import io.portico.api.filter.Filter;
import io.portico.js.JsFilterFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Measures, in the thread's CPU time (which a busy machine does not inflate, unlike JMH's wall
 * time), a warm call of the header-rewriting filter of {@link HeaderFilterBenchmark}, and the
 * first call after a script change on a thread whose context ran the previous version (evaluating
 * the new module there and running its code cold). Prints one line per change.
 *
 * <p>Run with {@code java -cp <test class path> io.portico.js.bench.FirstCallAfterChange}.
 */
public final class FirstCallAfterChange {

    private FirstCallAfterChange() {
    }

    private static String version(int n) {
        return HeaderFilterBenchmark.SCRIPT.replace("'bench'", "'v" + n + "'");
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("js-first-call");
        Path script = dir.resolve("rewrite.js");
        Files.writeString(script, version(0));
        Filter filter = new JsFilterFactory().create(new JsFilterFactory.Config("rewrite.js", Map.of(), false, null, null,
                null), new ExtensionContext() {
                    @Override
                    public Path configDirectory() {
                        return dir;
                    }

                    @Override
                    public String configPath() {
                        return "bench";
                    }
                });
        BenchExchange exchange = new BenchExchange();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int change = 1; change <= 5; change++) {
            int calls = 500_000;
            long cpuStart = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                exchange.reset();
                filter.onRequest(exchange);
            }
            double warm = (threads.getCurrentThreadCpuTime() - cpuStart) / (double) calls;

            Files.writeString(script, version(change));
            String expected = "v" + change;
            while (true) {
                exchange.reset();
                long start = threads.getCurrentThreadCpuTime();
                filter.onRequest(exchange);
                long took = threads.getCurrentThreadCpuTime() - start;
                if (expected.equals(exchange.requestHeaders().get("x-request-id"))) {
                    System.out.printf("version %d: warm call %.0f ns CPU (mean of %d); first call of version %d %.2f ms CPU%n",
                            change - 1, warm, calls, change, took / 1e6);
                    break;
                }
                Thread.onSpinWait();
            }
        }
    }
}
