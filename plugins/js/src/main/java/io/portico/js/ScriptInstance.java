package io.portico.js;

import io.portico.api.filter.Exchange;
import io.portico.api.filter.FilterResult;
import io.portico.api.http.Response;
import io.portico.api.http.ResponseHead;
import io.portico.js.engine.GuardedContext;
import io.portico.js.engine.JsEngine;
import io.portico.js.engine.JsStats;
import io.portico.js.script.ScriptError;
import io.portico.js.script.ScriptFile;
import io.portico.js.script.ScriptVersion;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A filter's script in the context of one thread: the context, the module version evaluated in it,
 * and the {@code req}, {@code res} and {@code ctx} objects, which are re-bound to each exchange
 * rather than allocated per call (so every call passes arguments of the same shape, which keeps
 * the compiled code fast).
 *
 * <p>A changed script is evaluated in the context on the thread's first call after the change.
 * A call that throws, or runs past the time limit, is logged with the script's file and line,
 * counted in {@link JsStats}, and answered with 500, or let through when the filter is fail-open.
 */
final class ScriptInstance {

    private static final Logger LOG = LoggerFactory.getLogger(JsFilter.class);
    private static final Response FAILED = Response.text(500, "internal server error\n");
    private static final Source HELPERS = Source.newBuilder("js", """
            ({
              toBytes(latin1) {
                const bytes = new Uint8Array(latin1.length);
                for (let i = 0; i < latin1.length; i++) bytes[i] = latin1.charCodeAt(i);
                return bytes;
              },
              frozen(value) {
                if (value !== null && typeof value === 'object') {
                  Object.values(value).forEach(v => this.frozen(v));
                  Object.freeze(value);
                }
                return value;
              },
            })
            """, "portico-helpers.js").buildLiteral();

    private final JsFilter filter;
    private final String name;
    private final long timeoutNanos;
    private final GuardedContext guarded;
    private final RequestObject request;
    private final ResponseObject response;
    private final ContextObject ctx;
    /**
     * {@link #request}, {@link #response} and {@link #ctx} as guest objects of the context, made
     * once: passing the proxies themselves would wrap each in a new guest object on every call.
     */
    private final Value requestArgument;
    private final Value responseArgument;
    private final Value ctxArgument;
    private ScriptVersion loaded;
    private Value onRequest;
    private Value onResponse;
    /**
     * Whether the loaded version's functions have been called here. The first call of a function
     * runs cold (the engine parses function bodies lazily and specializes its nodes), which can
     * take tens of milliseconds, so it gets the load limit rather than the call limit.
     */
    private boolean requestWarm;
    private boolean responseWarm;

    ScriptInstance(JsFilter filter) {
        this.filter = filter;
        this.name = filter.script().name();
        this.timeoutNanos = filter.config().timeout().toNanos();
        Context context = JsEngine.shared().newContext();
        this.guarded = new GuardedContext(context, name);
        Value helpers = context.eval(HELPERS);
        Value json = context.getBindings("js").getMember("JSON");
        Bodies bodies = new Bodies(helpers.getMember("toBytes"), json.getMember("parse"), json.getMember("stringify"));
        Value config = helpers.invokeMember("frozen", json.getMember("parse").execute(filter.configJson()));
        this.request = new RequestObject(bodies, filter.requestBodyLimit());
        this.response = new ResponseObject(bodies, filter.responseBodyLimit());
        this.ctx = new ContextObject(config, new LogObject(LoggerFactory.getLogger("portico.js." + name)), request, bodies);
        this.requestArgument = context.asValue(request);
        this.responseArgument = context.asValue(response);
        this.ctxArgument = context.asValue(ctx);
    }

    /** Runs {@code onRequest} of {@code version}, which exports it. */
    FilterResult onRequest(ScriptVersion version, Exchange exchange) {
        request.bind(exchange);
        ctx.bind(exchange);
        return call(version, false);
    }

    /** Runs {@code onResponse} of {@code version}, which exports it. */
    FilterResult onResponse(ScriptVersion version, Exchange exchange, ResponseHead head) {
        request.bind(exchange);
        response.bind(exchange, head);
        ctx.bind(exchange);
        return call(version, true);
    }

    /**
     * Calls the phase's function of {@code version} (loading it first when it changed) under the
     * time limit: the longer load limit on a phase's first call after a load, when the function
     * still runs cold. Unbinds the exchange afterwards.
     */
    private FilterResult call(ScriptVersion version, boolean responsePhase) {
        RuntimeException failure = null;
        boolean expired;
        try {
            if (version != loaded) {
                load(version);
            }
            boolean warm = responsePhase ? responseWarm : requestWarm;
            guarded.start(warm ? timeoutNanos : ScriptFile.LOAD_TIMEOUT_NANOS);
            if (responsePhase) {
                responseWarm = true;
                onResponse.executeVoid(responseArgument, ctxArgument);
            } else {
                requestWarm = true;
                onRequest.executeVoid(requestArgument, ctxArgument);
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            expired = guarded.stop();
            request.bind(null);
            response.bind(null, null);
            ctx.bind(null);
        }
        Response answer = ctx.takeAnswer();
        if (failure != null) {
            return failed(failure, expired, responsePhase ? "onResponse" : "onRequest");
        }
        return answer == null ? FilterResult.proceed() : FilterResult.respond(answer);
    }

    /**
     * Evaluates {@code version} in this context, its top-level code limited to {@link
     * ScriptFile#LOAD_TIMEOUT_NANOS}; the guard stays started, for the caller's {@code stop()}.
     */
    private void load(ScriptVersion version) {
        guarded.start(ScriptFile.LOAD_TIMEOUT_NANOS);
        Value exports = guarded.context().eval(version.source());
        onRequest = exports.getMember("onRequest");
        onResponse = exports.getMember("onResponse");
        loaded = version;
        requestWarm = false;
        responseWarm = false;
    }

    private FilterResult failed(RuntimeException e, boolean expired, String function) {
        String outcome = (function.equals("onRequest") ? "the request " : "the response ")
                + (filter.config().failOpen() ? "goes on unchanged (fail-open)" : "is answered with 500");
        if (expired) {
            JsStats.timedOut();
            LOG.warn("{}: {} ran past its time limit of {} ms and was stopped; {}", name, function,
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos), outcome);
        } else {
            JsStats.failed();
            String where = e instanceof PolyglotException p ? ScriptError.describe(p, name) : name + ": " + e;
            LOG.error("{} (in {}); {}", where, function, outcome);
        }
        if (!(e instanceof PolyglotException p) || p.isCancelled() || p.isInternalError()) {
            // The context is closed or broken: this thread starts afresh on its next call.
            filter.discardInstance();
        }
        return filter.config().failOpen() ? FilterResult.proceed() : FilterResult.respond(FAILED);
    }

    void close() {
        guarded.close();
    }
}
