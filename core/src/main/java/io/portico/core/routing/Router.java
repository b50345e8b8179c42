package io.portico.core.routing;

import io.portico.api.http.RequestHead;
import io.portico.core.config.MatchConfig;
import io.portico.core.config.RewriteConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Picks the route of a request: the first route, in the order they were added, whose every
 * condition holds. Conditions come from a {@link MatchConfig}; an absent condition always holds.
 *
 * <ul>
 *   <li><b>host</b>: the request's host (from {@code Host}, without the port) equals one of the
 *       names, ignoring case. A leading wildcard {@code *.example.com} matches subdomains of any
 *       depth ({@code a.example.com}, {@code a.b.example.com}) but not {@code example.com}. An
 *       IPv6 literal is written in brackets: {@code [::1]}.
 *   <li><b>path</b>, compared as received (percent-encoded, without the query), case-sensitive:
 *       <ul>
 *         <li>{@code exact}: the whole path; {@code /users} does not match {@code /users/}.
 *         <li>{@code prefix}: plain text prefix; {@code /api} matches {@code /api/x} and also
 *             {@code /apis}, so write {@code /api/} to mean the directory.
 *         <li>{@code pattern}: segment by segment; {@code *} is one non-empty segment,
 *             {@code {name}} is one non-empty segment captured as {@code name}, and a final
 *             {@code **} is any rest including none ({@code /static/**} matches {@code /static}).
 *             Other segments are literals, and a trailing slash counts.
 *       </ul>
 *   <li><b>methods</b>: the method is one of these, case-sensitive ({@code GET}, not {@code get}).
 *   <li><b>headers</b>: each named header (name in any case) is present with exactly this value
 *       (its first value), or with any value for {@code "*"}.
 *   <li><b>query</b>: each named parameter is present with exactly this value (its first value,
 *       decoded), or with any value for {@code "*"}.
 * </ul>
 *
 * <p>A route may also rewrite the path sent upstream (see {@link RouteMatch#rewrittenPath()}); the
 * query is never touched. A result that does not start with {@code /} gets one, so an empty
 * result becomes {@code /}.
 * <ul>
 *   <li>{@code strip-prefix}: removes the prefix from a path that starts with it (as plain text);
 *       {@code /api} turns {@code /api/users} into {@code /users} and {@code /api} into {@code /}.
 *   <li>{@code regex} and {@code replacement}: replaces the first match, with
 *       {@link java.util.regex.Matcher#replaceFirst(String)} semantics ({@code $1},
 *       {@code ${name}}); a path without a match is unchanged.
 *   <li>{@code path}: a template such as {@code /v2/items/{id}} filled with the captures of the
 *       route's path pattern (still percent-encoded).
 * </ul>
 *
 * <p>Everything is compiled by {@link Builder#build()}, and invalid routes are rejected there.
 * {@link #match} then allocates nothing for routes that do not match, only the
 * {@link RouteMatch} (and its captures) of the one that does. A router is immutable and
 * thread-safe.
 *
 * <pre>{@code
 * Router<Upstream> router = Router.<Upstream>builder()
 *         .route("items", new MatchConfig(List.of("api.example.com"), new PathMatch(null, null, "/items/{id}"),
 *                 List.of("GET"), null, null), new RewriteConfig(null, null, null, "/v2/items/{id}"), items)
 *         .route("default", MatchConfig.ANY, null, web)
 *         .build();
 * }</pre>
 *
 * @param <T> what the caller attaches to each route, handed back by {@link RouteMatch#payload()}
 */
public final class Router<T> {

    private final Route<T>[] routes;

    private Router(Route<T>[] routes) {
        this.routes = routes;
    }

    /** Starts a router; routes are tried in the order they are added. */
    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /**
     * The first route that the request satisfies, or {@code null} when none does (the caller
     * answers 404). Reads the method, host and path of the request, and its headers and query
     * only for routes that have such conditions.
     */
    public RouteMatch<T> match(RequestHead request) {
        String method = request.method();
        String host = request.host();
        String path = request.path();
        for (Route<T> route : routes) {
            if (route.matches(method, host, path, request)) {
                return new RouteMatch<>(route, path, route.path.captures(path));
            }
        }
        return null;
    }

    /** The number of routes. */
    public int size() {
        return routes.length;
    }

    /**
     * Collects routes for a {@link Router}; each route is compiled and validated as it is added.
     *
     * @param <T> the payload type
     */
    public static final class Builder<T> {

        private final List<Route<T>> routes = new ArrayList<>();
        private final Set<String> names = new HashSet<>();

        private Builder() {}

        /**
         * Adds a route, tried after those added before it.
         *
         * @param name a unique name, used in error messages, logs and metrics
         * @param match the conditions; {@link MatchConfig#ANY} takes every request
         * @param rewrite how the path is rewritten, or {@code null} to keep it
         * @param payload what {@link RouteMatch#payload()} returns for this route
         * @throws IllegalArgumentException when a host, path pattern, method, header or query
         *     condition or the rewrite is invalid, or the name is taken; the message names the
         *     route and says what was expected
         */
        public Builder<T> route(String name, MatchConfig match, RewriteConfig rewrite, T payload) {
            Route<T> route = new Route<>(name, match, rewrite, payload);
            if (!names.add(name)) {
                throw new IllegalArgumentException("route '" + name + "': another route has this name; names must be unique");
            }
            routes.add(route);
            return this;
        }

        /** The router, with the routes added so far. */
        @SuppressWarnings("unchecked")
        public Router<T> build() {
            return new Router<>(routes.toArray(Route[]::new));
        }
    }
}
