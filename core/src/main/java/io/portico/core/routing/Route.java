package io.portico.core.routing;

import io.portico.api.http.RequestHead;
import io.portico.core.config.MatchConfig;
import io.portico.core.config.RewriteConfig;
import java.util.Map;
import java.util.Objects;

/**
 * A route compiled for matching: its conditions, its path rewrite and the caller's payload.
 *
 * @param <T> the payload type
 */
final class Route<T> {

    /** The configured value meaning "present with any value". */
    private static final String ANY_VALUE = "*";

    final String name;
    final T payload;
    final PathMatcher path;

    /** The path rewrite, or {@code null} when the route keeps the path. */
    final PathRewrite rewrite;

    private final String[] methods;
    private final HostMatcher hosts;

    /** Header names and their required values ({@code null}: present with any value). */
    private final String[] headerNames;
    private final String[] headerValues;

    /** Query parameter names and their required values ({@code null}: present with any value). */
    private final String[] queryNames;
    private final String[] queryValues;

    /**
     * Compiles a route.
     *
     * @throws IllegalArgumentException naming the route and what is wrong with it
     */
    Route(String name, MatchConfig match, RewriteConfig rewrite, T payload) {
        this.name = Objects.requireNonNull(name, "a route needs a name");
        this.payload = Objects.requireNonNull(payload, () -> "route '" + name + "' needs a payload");
        Objects.requireNonNull(match, () -> "route '" + name + "' needs a match (MatchConfig.ANY for every request)");
        try {
            this.hosts = HostMatcher.of(match.host());
            this.path = PathMatcher.of(match.path());
            this.rewrite = rewrite == null ? null : PathRewrite.of(rewrite, path);
            this.methods = match.methods().stream().map(Route::checkMethod).toArray(String[]::new);
            this.headerNames = names(match.headers(), "header");
            this.headerValues = values(match.headers(), headerNames);
            this.queryNames = names(match.query(), "query parameter");
            this.queryValues = values(match.query(), queryNames);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("route '" + name + "': " + e.getMessage(), e);
        }
    }

    /** Whether the request satisfies every condition; the cheapest are tried first. */
    boolean matches(String method, String host, String requestPath, RequestHead request) {
        if (methods.length > 0 && !contains(methods, method)) {
            return false;
        }
        if (!hosts.matches(host) || !path.matches(requestPath)) {
            return false;
        }
        for (int i = 0; i < headerNames.length; i++) {
            String value = request.headers().get(headerNames[i]);
            if (value == null || headerValues[i] != null && !headerValues[i].equals(value)) {
                return false;
            }
        }
        for (int i = 0; i < queryNames.length; i++) {
            String value = request.queryParam(queryNames[i]);
            if (value == null || queryValues[i] != null && !queryValues[i].equals(value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(String[] candidates, String value) {
        for (String candidate : candidates) {
            if (candidate.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String checkMethod(String method) {
        if (method == null || method.isEmpty() || !method.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException("invalid method '" + method + "': expected a token such as GET");
        }
        return method;
    }

    private static String[] names(Map<String, String> conditions, String what) {
        String[] names = conditions.keySet().toArray(String[]::new);
        for (String name : names) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("a " + what + " condition needs a name");
            }
        }
        return names;
    }

    private static String[] values(Map<String, String> conditions, String[] names) {
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            String value = conditions.get(names[i]);
            values[i] = ANY_VALUE.equals(value) ? null : value;
        }
        return values;
    }
}
