package io.portico.js;

import io.portico.api.filter.Exchange;
import io.portico.api.http.ResponseHead;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * {@code res}: the response on its way to the client. Properties {@code status} (assignable) and
 * {@code headers}; when the filter holds the response body, {@code body()}, {@code text()},
 * {@code json()} and {@code setBody(value)}.
 */
final class ResponseObject extends MemberObject {

    private final HeadersObject headers = new HeadersObject("res.headers");
    private final Bodies bodies;
    private final long bodyLimit;
    private Exchange exchange;
    private ResponseHead head;

    private final ProxyExecutable body = args -> read("res.body()", BodyView.BYTES);
    private final ProxyExecutable text = args -> read("res.text()", BodyView.TEXT);
    private final ProxyExecutable json = args -> read("res.json()", BodyView.JSON);
    private final ProxyExecutable setBody = args -> {
        body("res.setBody()");
        Bodies.Encoded encoded = encode(Args.at(args, 0), "res.setBody()");
        if (encoded.json() && !head.headers().contains("content-type")) {
            head.headers().set("content-type", "application/json");
        }
        exchange.responseBody(encoded.bytes());
        return null;
    };

    ResponseObject(Bodies bodies, long bodyLimit) {
        super("res", "body", "headers", "json", "setBody", "status", "text");
        this.bodies = bodies;
        this.bodyLimit = bodyLimit;
    }

    void bind(Exchange exchange, ResponseHead head) {
        this.exchange = exchange;
        this.head = head;
        headers.bind(head == null ? null : head.headers());
    }

    private ResponseHead head() {
        if (head == null) {
            throw new IllegalStateException("res is only usable during the call it was given to");
        }
        return head;
    }

    private byte[] body(String function) {
        head();
        if (bodyLimit == 0) {
            throw new IllegalStateException(function + " needs the response body: give the filter 'response-body: <limit>'"
                    + " (such as response-body: 1MB)");
        }
        return exchange.responseBody();
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
            case "status" -> head().status();
            case "headers" -> {
                head();
                yield headers;
            }
            case "body" -> body;
            case "text" -> text;
            case "json" -> json;
            case "setBody" -> setBody;
            default -> null;
        };
    }

    @Override
    public void putMember(String key, Value value) {
        if (!key.equals("status")) {
            super.putMember(key, value);
            return;
        }
        if (value == null || !value.fitsInInt() || value.asInt() < 100 || value.asInt() > 599) {
            throw new IllegalArgumentException("res.status must be an integer from 100 to 599, got " + Args.describe(value));
        }
        head().status(value.asInt());
    }
}
