package io.portico.core.routing;

import io.portico.core.config.PathMatch;
import java.util.List;

/**
 * The path condition of a route. Paths are compared as received, still percent-encoded, without
 * the query.
 */
sealed interface PathMatcher permits PathMatcher.Any, PathMatcher.Exact, PathMatcher.Prefix, PathPattern {

    /** The captures of a match that captures nothing. */
    String[] NO_CAPTURES = new String[0];

    /** Whether {@code path} satisfies this condition. */
    boolean matches(String path);

    /** The names this condition captures, in the order of {@link #captures}; empty unless a pattern. */
    default List<String> captureNames() {
        return List.of();
    }

    /** The captured values of a path that {@link #matches}, in the order of {@link #captureNames}. */
    default String[] captures(String path) {
        return NO_CAPTURES;
    }

    /**
     * Compiles a path condition; {@code null} (no condition) matches every path.
     *
     * @throws IllegalArgumentException when a pattern is malformed, saying what was expected
     */
    static PathMatcher of(PathMatch match) {
        if (match == null) {
            return new Any();
        }
        if (match.exact() != null) {
            return new Exact(match.exact());
        }
        if (match.prefix() != null) {
            return new Prefix(match.prefix());
        }
        return PathPattern.compile(match.pattern());
    }

    /** Every path. */
    record Any() implements PathMatcher {
        @Override
        public boolean matches(String path) {
            return true;
        }
    }

    /** The whole path equals {@code path}; a trailing slash counts. */
    record Exact(String path) implements PathMatcher {
        @Override
        public boolean matches(String candidate) {
            return path.equals(candidate);
        }
    }

    /** The path starts with {@code prefix}, as plain text: {@code /api} also matches {@code /apis}. */
    record Prefix(String prefix) implements PathMatcher {
        @Override
        public boolean matches(String path) {
            return path.startsWith(prefix);
        }
    }
}
