package io.portico.js;

import io.portico.api.filter.Exchange;
import io.portico.api.http.RequestHead;
import io.portico.api.http.TlsSession;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * {@code req}: the request as the filters before this one left it. Properties {@code method},
 * {@code path}, {@code uri} (assignable), {@code query}, {@code host}, {@code clientAddress},
 * {@code secure}, {@code tls}, {@code clientCertificate}, {@code route}, {@code headers}; functions
 * {@code queryParam(name)} and, when the filter holds the request body, {@code body()}, {@code
 * text()}, {@code json()} and {@code setBody(value)}.
 *
 * <p>{@code tls} and {@code clientCertificate} are made only when a script reads them, and kept
 * for the next requests of the same connection: a script that never reads them pays nothing.
 */
final class RequestObject extends MemberObject {

    private final HeadersObject headers = new HeadersObject("req.headers");
    private final Bodies bodies;
    private final long bodyLimit;
    private Exchange exchange;
    /** {@code req.tls} of the connection a script last asked about; {@code null} before. */
    private TlsObject tls;

    private final ProxyExecutable queryParam = args -> head().queryParam(Args.text(args, 0, "req.queryParam()", "name"));
    private final ProxyExecutable body = args -> read("req.body()", BodyView.BYTES);
    private final ProxyExecutable text = args -> read("req.text()", BodyView.TEXT);
    private final ProxyExecutable json = args -> read("req.json()", BodyView.JSON);
    private final ProxyExecutable setBody = args -> {
        body("req.setBody()");
        Bodies.Encoded encoded = encode(Args.at(args, 0), "req.setBody()");
        if (encoded.json() && !exchange.request().headers().contains("content-type")) {
            exchange.request().headers().set("content-type", "application/json");
        }
        exchange.requestBody(encoded.bytes());
        return null;
    };

    RequestObject(Bodies bodies, long bodyLimit) {
        super("req", "body", "clientAddress", "clientCertificate", "headers", "host", "json", "method", "path",
                "query", "queryParam", "route", "secure", "setBody", "text", "tls", "uri");
        this.bodies = bodies;
        this.bodyLimit = bodyLimit;
    }

    void bind(Exchange exchange) {
        this.exchange = exchange;
        headers.bind(exchange == null ? null : exchange.request().headers());
    }

    private RequestHead head() {
        if (exchange == null) {
            throw new IllegalStateException("req is only usable during the call it was given to");
        }
        return exchange.request();
    }

    /** {@code req.tls}: the connection's TLS facts, or {@code null} on plain HTTP. */
    private TlsObject tls() {
        TlsSession session = head().tls().orElse(null);
        if (session == null) {
            return null;
        }
        if (tls == null || !tls.shows(session)) {
            tls = new TlsObject(session);
        }
        return tls;
    }

    /** The held body, or {@code null} when the request has none. */
    private byte[] body(String function) {
        head();
        if (bodyLimit == 0) {
            throw new IllegalStateException(function + " needs the request body: give the filter 'request-body: <limit>'"
                    + " (such as request-body: 1MB)");
        }
        return exchange.requestBody();
    }

    private Object read(String function, BodyView view) {
        byte[] b = body(function);
        return b == null ? null : bodies.view(b, view);
    }

    private Bodies.Encoded encode(Value value, String function) {
        return bodies.encode(value, function);
    }

    @Override
    public Object getMember(String key) {
        return switch (key) {
            case "method" -> head().method();
            case "path" -> head().path();
            case "query" -> head().query();
            case "uri" -> head().uri();
            case "host" -> head().host();
            case "clientAddress" -> head().clientAddress().getAddress().getHostAddress();
            case "secure" -> head().secure();
            case "tls" -> tls();
            case "clientCertificate" -> {
                TlsObject t = tls();
                yield t == null ? null : t.certificate();
            }
            case "route" -> {
                head();
                yield exchange.routeName();
            }
            case "headers" -> {
                head();
                yield headers;
            }
            case "queryParam" -> queryParam;
            case "body" -> body;
            case "text" -> text;
            case "json" -> json;
            case "setBody" -> setBody;
            default -> null;
        };
    }

    @Override
    public void putMember(String key, Value value) {
        switch (key) {
            case "method" -> head().method(Args.text(value, "req.method", "the method"));
            case "path" -> head().path(Args.text(value, "req.path", "the path"));
            case "uri" -> head().uri(Args.text(value, "req.uri", "the request target"));
            default -> super.putMember(key, value);
        }
    }
}
