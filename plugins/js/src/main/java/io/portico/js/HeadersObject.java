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
    private final ProxyExecutable get;
    private final ProxyExecutable getAll;
    private final ProxyExecutable has;
    private final ProxyExecutable names;
    private final ProxyExecutable set;
    private final ProxyExecutable add;
    private final ProxyExecutable remove;
    private Headers headers;

    HeadersObject(String what) {
        super(what, "add", "get", "getAll", "has", "names", "remove", "set");
        this.what = what;
        // The functions' names, for errors, are made once here rather than on every call.
        String getName = what + ".get()";
        String getAllName = what + ".getAll()";
        String hasName = what + ".has()";
        String setName = what + ".set()";
        String addName = what + ".add()";
        String removeName = what + ".remove()";
        get = args -> headers().get(Args.text(args, 0, getName, "name"));
        getAll = args -> ProxyArray.fromArray(headers().getAll(Args.text(args, 0, getAllName, "name")).toArray());
        has = args -> headers().contains(Args.text(args, 0, hasName, "name"));
        names = args -> ProxyArray.fromArray(headers().names().toArray());
        set = args -> {
            headers().set(Args.text(args, 0, setName, "name"), Args.text(args, 1, setName, "value"));
            return null;
        };
        add = args -> {
            headers().add(Args.text(args, 0, addName, "name"), Args.text(args, 1, addName, "value"));
            return null;
        };
        remove = args -> {
            headers().remove(Args.text(args, 0, removeName, "name"));
            return null;
        };
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
