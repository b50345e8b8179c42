package io.portico.core.config;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Key paths as shown to users: {@code routes[2].filters[1]}, {@code upstreams.api.balancer}. */
final class KeyPaths {

    private KeyPaths() {
    }

    /** The path of the value a parser is at, from its parsing context. */
    static String of(JsonStreamContext context) {
        Deque<String> segments = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            // A container just entered has no index or name yet: the path then ends at the container.
            if (c.inArray() && c.getCurrentIndex() >= 0) {
                segments.push("[" + c.getCurrentIndex() + "]");
            } else if (c.inObject() && c.getCurrentName() != null) {
                segments.push(c.getCurrentName());
            }
        }
        StringBuilder path = new StringBuilder();
        segments.forEach(s -> append(path, s));
        return path.toString();
    }

    /** The path of a Jackson mapping failure. */
    static String of(List<Reference> references) {
        StringBuilder path = new StringBuilder();
        for (Reference r : references) {
            if (r.getFieldName() != null) {
                append(path, r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** {@code base} followed by {@code relative}: {@code a.b} + {@code c[0]} is {@code a.b.c[0]}. */
    static String join(String base, String relative) {
        if (base == null || base.isEmpty()) {
            return relative;
        }
        if (relative.isEmpty() || relative.startsWith("[")) {
            return base + relative;
        }
        return base + "." + relative;
    }

    private static void append(StringBuilder path, String segment) {
        if (!path.isEmpty() && !segment.startsWith("[")) {
            path.append('.');
        }
        path.append(segment);
    }
}
