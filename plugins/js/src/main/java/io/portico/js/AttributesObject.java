package io.portico.js;

import io.portico.api.filter.AttributeKey;
import io.portico.api.filter.Exchange;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * {@code ctx.attributes}: the exchange's attributes by name, shared with Java filters.
 * {@code get(name)} returns strings, numbers and booleans as such and any other value as its text;
 * {@code set(name, value)} takes a string, number or boolean ({@code null} removes). Integral
 * numbers are stored as {@link Long}, others as {@link Double}.
 */
final class AttributesObject extends MemberObject {

    private Exchange exchange;

    private final ProxyExecutable get = args -> {
        Object value = exchange().attribute(Args.text(args, 0, "ctx.attributes.get()", "name"));
        return value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                ? value : value.toString();
    };
    private final ProxyExecutable set = args -> {
        String name = Args.text(args, 0, "ctx.attributes.set()", "name");
        Value value = Args.at(args, 1);
        if (value == null || value.isNull()) {
            exchange().attribute(AttributeKey.of(name, Object.class), null);
        } else if (value.isString()) {
            exchange().attribute(AttributeKey.of(name, String.class), value.asString());
        } else if (value.isBoolean()) {
            exchange().attribute(AttributeKey.of(name, Boolean.class), value.asBoolean());
        } else if (value.isNumber() && value.fitsInLong()) {
            exchange().attribute(AttributeKey.of(name, Long.class), value.asLong());
        } else if (value.isNumber()) {
            exchange().attribute(AttributeKey.of(name, Double.class), value.asDouble());
        } else {
            throw new IllegalArgumentException("ctx.attributes.set(): the value of '" + name
                    + "' must be a string, number, boolean or null, got " + Args.describe(value));
        }
        return null;
    };

    AttributesObject() {
        super("ctx.attributes", "get", "set");
    }

    void bind(Exchange exchange) {
        this.exchange = exchange;
    }

    private Exchange exchange() {
        if (exchange == null) {
            throw new IllegalStateException("ctx is only usable during the call it was given to");
        }
        return exchange;
    }

    @Override
    public Object getMember(String key) {
        return switch (key) {
            case "get" -> get;
            case "set" -> set;
            default -> null;
        };
    }
}
