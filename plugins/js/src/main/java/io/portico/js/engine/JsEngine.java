package io.portico.js.engine;

import java.io.OutputStream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one GraalJS engine of the process, and the sandboxed contexts scripts run in.
 *
 * <p>Creating the engine takes about two seconds, so it happens once, lazily, on the first call of
 * {@link #shared()}: at config load, on the thread that loads the configuration, never on an event
 * loop. Every context is created from it, so a script parsed in one context is not parsed again in
 * another (the engine caches code by source).
 *
 * <p>At creation it logs which Truffle runtime is active: {@code optimizing} when the Graal
 * compiler is on the upgrade module path (JIT-compiled scripts), {@code interpreted} otherwise.
 * Scripts behave the same either way; interpreted ones run a few times slower.
 *
 * <p>Contexts are locked down: no host class or object access (scripts see only the proxies
 * Portico hands them), no file system or other I/O, no threads, processes, native code,
 * environment variables or other languages. Output of {@code console.log} and {@code print} is
 * discarded: scripts log through {@code ctx.log}.
 */
public final class JsEngine {

    private static final Logger LOG = LoggerFactory.getLogger(JsEngine.class);
    /** What Truffle's fallback runtime calls itself in {@link Engine#getImplementationName()}. */
    private static final String INTERPRETED = "Interpreted";

    private static volatile JsEngine shared;

    private final Engine engine;
    private final boolean optimizing;

    private JsEngine() {
        long start = System.nanoTime();
        this.engine = Engine.newBuilder("js")
                // Portico logs the runtime itself; Truffle's warning would go to stderr.
                .option("engine.WarnInterpreterOnly", "false")
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .build();
        warmUp();
        String runtime = engine.getImplementationName();
        this.optimizing = !INTERPRETED.equals(runtime);
        LOG.info("JavaScript engine ready in {} ms: GraalJS {}, {} runtime ({}){}",
                (System.nanoTime() - start) / 1_000_000, engine.getVersion(),
                optimizing ? "optimizing" : "interpreted", runtime,
                optimizing ? "" : "; put the Graal compiler on the upgrade module path to compile scripts");
    }

    /**
     * Evaluates a first module, which in a fresh engine takes seconds (interpreted): that cost
     * belongs to the engine's creation, not to the time limit of the first script checked.
     */
    private void warmUp() {
        try (Context context = newContext()) {
            context.eval(Source.newBuilder("js", "export function warm(x) { return JSON.stringify(x); }", "warm-up.js")
                    .mimeType("application/javascript+module").buildLiteral()).getMember("warm").execute(1);
        }
    }

    /** The engine of the process, created on the first call (about two seconds). */
    public static JsEngine shared() {
        JsEngine engine = shared;
        if (engine == null) {
            synchronized (JsEngine.class) {
                engine = shared;
                if (engine == null) {
                    engine = new JsEngine();
                    shared = engine;
                }
            }
        }
        return engine;
    }

    /** Whether scripts are compiled by the Graal compiler, rather than only interpreted. */
    public boolean optimizing() {
        return optimizing;
    }

    /** The Truffle runtime's name: {@code Interpreted}, or the compiler's name. */
    public String runtimeName() {
        return engine.getImplementationName();
    }

    /**
     * A new sandboxed context (about a millisecond). A context may be used by one thread at a time
     * and must be {@linkplain Context#close() closed} when no longer used.
     */
    public Context newContext() {
        return Context.newBuilder("js")
                .engine(engine)
                .allowHostAccess(HostAccess.NONE)
                .allowHostClassLookup(className -> false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .option("js.load", "false")
                .option("js.print", "false")
                .option("js.graal-builtin", "false")
                // eval of a module returns its namespace, where Portico finds onRequest/onResponse.
                .option("js.esm-eval-returns-exports", "true")
                .build();
    }
}
