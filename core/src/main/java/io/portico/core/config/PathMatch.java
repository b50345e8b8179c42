package io.portico.core.config;

/**
 * The path condition of a route; exactly one form is given. A bare string in the YAML is a
 * prefix: {@code path: /api/} is {@code path: {prefix: /api/}}.
 *
 * @param exact the whole path equals this
 * @param prefix the path starts with this
 * @param pattern segments of the path match this: {@code /users/{id}/orders/*} where {@code *} is
 *     one segment, {@code {name}} is one segment captured as {@code name}, and a final {@code **}
 *     is any rest (including none)
 */
public record PathMatch(String exact, String prefix, String pattern) {

    /** Validates that exactly one form is given, starting with {@code /}. */
    public PathMatch {
        int given = (exact != null ? 1 : 0) + (prefix != null ? 1 : 0) + (pattern != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("expected exactly one of exact, prefix or pattern");
        }
        String p = exact != null ? exact : prefix != null ? prefix : pattern;
        if (!p.startsWith("/")) {
            throw new IllegalArgumentException("a path must start with '/', got '" + p + "'");
        }
    }

    /** The shorthand form: a prefix. */
    public static PathMatch prefix(String prefix) {
        return new PathMatch(null, prefix, null);
    }
}
