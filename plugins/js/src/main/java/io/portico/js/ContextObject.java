package io.portico.js;

import io.portico.api.filter.Exchange;
import io.portico.api.http.Response;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * {@code ctx}: {@code attributes}, {@code config} (the filter's {@code config} map, frozen),
 * {@code log}, {@code request} (the request, also in {@code onResponse}) and {@code
 * respond({status, headers, body})}, which answers in place of the upstream (from {@code
 * onRequest}) or replaces its response (from {@code onResponse}) once the function returns.
 */
final class ContextObject extends MemberObject {

    private final Value config;
    private final LogObject log;
    private final RequestObject request;
    private final Bodies bodies;
    private final AttributesObject attributes = new AttributesObject();
    private boolean bound;
    private Response answer;

    private final ProxyExecutable respond = args -> {
        if (!bound) {
            throw new IllegalStateException("ctx is only usable during the call it was given to");
        }
        if (answer != null) {
            throw new IllegalStateException("ctx.respond() was already called in this call");
        }
        answer = answer(Args.at(args, 0));
        return null;
    };

    ContextObject(Value config, LogObject log, RequestObject request, Bodies bodies) {
        super("ctx", "attributes", "config", "log", "request", "respond");
        this.config = config;
        this.log = log;
        this.request = request;
        this.bodies = bodies;
    }

    /** Binds to {@code exchange} for a call (forgetting any earlier answer), or unbinds with {@code null}. */
    void bind(Exchange exchange) {
        bound = exchange != null;
        attributes.bind(exchange);
        if (bound) {
            answer = null;
        }
    }

    /** The answer given with {@code respond} during the call, if any; clears it. */
    Response takeAnswer() {
        Response a = answer;
        answer = null;
        return a;
    }

    private Response answer(Value spec) {
        if (spec == null || !spec.hasMembers() || spec.canExecute()) {
            throw new IllegalArgumentException("ctx.respond(): expected an object such as"
                    + " {status: 403, headers: {'content-type': 'text/plain'}, body: 'no'}, got " + Args.describe(spec));
        }
        Value status = spec.getMember("status");
        int code = 200;
        if (status != null && !status.isNull()) {
            if (!status.fitsInInt() || status.asInt() < 200 || status.asInt() > 599) {
                throw new IllegalArgumentException("ctx.respond(): status must be an integer from 200 to 599, got "
                        + Args.describe(status));
            }
            code = status.asInt();
        }
        Response.Builder builder = Response.builder(code);
        boolean contentType = false;
        Value headers = spec.getMember("headers");
        if (headers != null && !headers.isNull()) {
            for (String name : headers.getMemberKeys()) {
                contentType |= name.equalsIgnoreCase("content-type");
                Value value = headers.getMember(name);
                if (value.hasArrayElements()) {
                    for (long i = 0; i < value.getArraySize(); i++) {
                        builder.header(name, Args.text(value.getArrayElement(i), "ctx.respond()",
                                "header " + name));
                    }
                } else {
                    builder.header(name, Args.text(value, "ctx.respond()", "header " + name));
                }
            }
        }
        Bodies.Encoded body = bodies.encode(spec.getMember("body"), "ctx.respond()");
        if (!contentType && body.bytes().length > 0) {
            builder.header("content-type", body.json() ? "application/json" : "text/plain; charset=utf-8");
        }
        return builder.body(body.bytes()).build();
    }

    @Override
    public Object getMember(String key) {
        return switch (key) {
            case "attributes" -> attributes;
            case "config" -> config;
            case "log" -> log;
            case "request" -> request;
            case "respond" -> respond;
            default -> null;
        };
    }
}
