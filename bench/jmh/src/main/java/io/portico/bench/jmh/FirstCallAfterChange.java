package io.portico.bench.jmh;

import io.portico.api.filter.Filter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a script change costs its first request: measures, in the thread's CPU time (which a busy
 * machine inflates far less than wall time), a warm call of the header-rewriting filter of
 * {@link JsFilterBenchmark}, then the first call after the script file changes, on the thread whose
 * context ran the previous version (evaluating the new module there and running its code cold).
 * Prints one line per change.
 *
 * <pre>{@code MAIN=FirstCallAfterChange bench/jmh-js.sh}</pre>
 */
public final class FirstCallAfterChange {

    private FirstCallAfterChange() {
    }

    private static String version(int n) {
        return JsFilterBenchmark.REWRITE_REQUEST.replace("'bench'", "'v" + n + "'");
    }

    /** Runs five changes. */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("js-first-call");
        Path script = dir.resolve("rewrite.js");
        Filter filter = JsFilterBenchmark.filter(dir, "rewrite.js", version(0));
        NettyExchange exchange = new NettyExchange();
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
                if (expected.equals(exchange.request().headers().get("x-request-id"))) {
                    System.out.printf("version %d: warm call %.0f ns CPU (mean of %d); first call of version %d %.2f ms CPU%n",
                            change - 1, warm, calls, change, took / 1e6);
                    break;
                }
                // The file watcher has not seen the change yet.
                Thread.onSpinWait();
            }
        }
    }
}
