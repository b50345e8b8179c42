package io.portico.core.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.portico.api.http.Headers;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** {@link Headers} over Netty's headers, without copying them. */
final class NettyHeaders implements Headers {

    private final HttpHeaders headers;

    NettyHeaders(HttpHeaders headers) {
        this.headers = headers;
    }

    @Override
    public String get(String name) {
        return headers.get(name);
    }

    @Override
    public List<String> getAll(String name) {
        return headers.getAll(name);
    }

    @Override
    public boolean contains(String name) {
        return headers.contains(name);
    }

    @Override
    public Headers set(String name, String value) {
        headers.set(name, value);
        return this;
    }

    @Override
    public Headers add(String name, String value) {
        headers.add(name, value);
        return this;
    }

    @Override
    public Headers remove(String name) {
        headers.remove(name);
        return this;
    }

    @Override
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        for (String name : headers.names()) {
            names.add(name.toLowerCase(Locale.ROOT));
        }
        return names;
    }
}
