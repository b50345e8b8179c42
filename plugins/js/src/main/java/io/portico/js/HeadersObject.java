package io.portico.js;

import io.portico.api.http.Headers;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * {@code req.headers} and {@code res.headers}: {@code get(name)}, {@code getAll(name)}, {@code
 * has(name)}, {@code names()}, {@code set(name, value)}, {@code add(name, value)}, {@code
 * remove(name)}. Names are case-insensitive.
 */
final class HeadersObject extends MemberObject {

    private final String what;
    private Headers headers;

    private final ProxyExecutable get = args -> headers().get(Args.text(args, 0, fn("get"), "name"));
    private final ProxyExecutable getAll = args ->
            ProxyArray.fromArray(headers().getAll(Args.text(args, 0, fn("getAll"), "name")).toArray());
    private final ProxyExecutable has = args -> headers().contains(Args.text(args, 0, fn("has"), "name"));
    private final ProxyExecutable names = args -> ProxyArray.fromArray(headers().names().toArray());
    private final ProxyExecutable set = args -> {
        headers().set(Args.text(args, 0, fn("set"), "name"), Args.text(args, 1, fn("set"), "value"));
        return null;
    };
    private final ProxyExecutable add = args -> {
        headers().add(Args.text(args, 0, fn("add"), "name"), Args.text(args, 1, fn("add"), "value"));
        return null;
    };
    private final ProxyExecutable remove = args -> {
        headers().remove(Args.text(args, 0, fn("remove"), "name"));
        return null;
    };

    HeadersObject(String what) {
        super(what, "add", "get", "getAll", "has", "names", "remove", "set");
        this.what = what;
    }

    void bind(Headers headers) {
        this.headers = headers;
    }

    private Headers headers() {
        if (headers == null) {
            throw new IllegalStateException(what + " is only usable during the call it was given to");
        }
        return headers;
    }

    private String fn(String name) {
        return what + "." + name + "()";
    }

    @Override
    public Object getMember(String key) {
        return switch (key) {
            case "get" -> get;
            case "getAll" -> getAll;
            case "has" -> has;
            case "names" -> names;
            case "set" -> set;
            case "add" -> add;
            case "remove" -> remove;
            default -> null;
        };
    }
}
