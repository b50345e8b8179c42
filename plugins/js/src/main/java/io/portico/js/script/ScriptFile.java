package io.portico.js.script;

import io.portico.js.engine.GuardedContext;
import io.portico.js.engine.JsEngine;
import io.portico.js.engine.JsStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A filter script on disk and the version of it that is in service.
 *
 * <p>A script is an ECMAScript module exporting {@code onRequest} and/or {@code onResponse}.
 * {@link #load} compiles and checks it, and fails with the file, line and message when it cannot
 * be used. Once loaded, the {@link ScriptReloader} looks at the file every {@value
 * ScriptReloader#INTERVAL_MILLIS} ms: a changed file that compiles becomes the {@link #current()}
 * version, which the next request runs; one that does not is logged, and the previous version
 * keeps serving.
 *
 * <p>Checking a version evaluates the module once in a throwaway context, with {@link
 * #LOAD_TIMEOUT_NANOS} for its top-level code, which must not depend on a request.
 */
public final class ScriptFile {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptFile.class);
    private static final String MODULE = "application/javascript+module";
    /**
     * How long a module's top-level code may run when a version is checked or first evaluated on
     * a thread. Longer than a call's limit: the first evaluation in a fresh engine also parses
     * the module and sets up the JavaScript realm, which an interpreted engine does slowly.
     */
    public static final long LOAD_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Path path;
    private final String name;
    private volatile ScriptVersion current;
    /** The file's size and modification time when last read, whether or not that version compiled. */
    private Stamp seen;

    private ScriptFile(Path path, String name) {
        this.path = path;
        this.name = name;
    }

    private record Stamp(long modifiedNanos, long size) {
        static Stamp of(Path path) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new Stamp(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS), attributes.size());
        }
    }

    /**
     * Loads and checks the script at {@code path}, and watches it for changes from then on.
     *
     * @param name how logs and stack traces name it, such as {@code filters/deny.js}
     * @throws IllegalArgumentException when the file cannot be read, does not compile (with line and
     *     message), or exports neither {@code onRequest} nor {@code onResponse}
     */
    public static ScriptFile load(Path path, String name) {
        ScriptFile file = new ScriptFile(path, name);
        try {
            file.seen = Stamp.of(path);
            file.current = file.check(Files.readString(path, StandardCharsets.UTF_8), 1);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the script " + path + ": " + e);
        }
        ScriptReloader.watch(file);
        return file;
    }

    /** How logs name the script, such as {@code filters/deny.js}. */
    public String name() {
        return name;
    }

    /** The version in service. */
    public ScriptVersion current() {
        return current;
    }

    /**
     * Called by the reloader: reads the file again if it changed and puts the new version in
     * service if it compiles. Returns whether the version changed.
     */
    boolean refresh() {
        Stamp stamp;
        String text;
        try {
            stamp = Stamp.of(path);
            if (stamp.equals(seen)) {
                return false;
            }
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (seen != null) {
                LOG.warn("{}: cannot read the script ({}); the loaded version keeps serving", name, e.toString());
                seen = null;
            }
            return false;
        }
        seen = stamp;
        ScriptVersion previous = current;
        if (text.contentEquals(previous.source().getCharacters())) {
            return false;
        }
        try {
            current = check(text, previous.generation() + 1);
            LOG.info("{}: reloaded (version {})", name, current.generation());
            JsStats.reloaded();
            return true;
        } catch (IllegalArgumentException e) {
            LOG.error("{}; version {} keeps serving", e.getMessage(), previous.generation());
            JsStats.reloadFailed();
            return false;
        }
    }

    private ScriptVersion check(String text, int generation) {
        Source source = Source.newBuilder("js", text, name).mimeType(MODULE).buildLiteral();
        try (GuardedContext guarded = new GuardedContext(JsEngine.shared().newContext(), name)) {
            guarded.start(LOAD_TIMEOUT_NANOS);
            boolean onRequest;
            boolean onResponse;
            try {
                Value exports = guarded.context().eval(source);
                onRequest = exports.getMember("onRequest") != null && exports.getMember("onRequest").canExecute();
                onResponse = exports.getMember("onResponse") != null && exports.getMember("onResponse").canExecute();
            } catch (PolyglotException e) {
                throw new IllegalArgumentException(guarded.stop() ? tooLong() : ScriptError.describe(e, name));
            }
            if (guarded.stop()) {
                throw new IllegalArgumentException(tooLong());
            }
            if (!onRequest && !onResponse) {
                throw new IllegalArgumentException(name
                        + ": a filter script must export a function onRequest(req, ctx) or onResponse(res, ctx)"
                        + " (export function onRequest(req, ctx) { ... })");
            }
            return new ScriptVersion(source, generation, onRequest, onResponse);
        }
    }

    private String tooLong() {
        return name + ": its top-level code ran longer than the time limit of "
                + TimeUnit.NANOSECONDS.toMillis(LOAD_TIMEOUT_NANOS) + " ms";
    }
}
