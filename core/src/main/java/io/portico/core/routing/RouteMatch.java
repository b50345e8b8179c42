package io.portico.core.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The route a request matched, with what the match found: the captures of a path pattern and the
 * path to send upstream.
 *
 * <p>Typical use on the request path:
 * <pre>{@code
 * RouteMatch<Upstream> match = router.match(request);
 * if (match == null) {
 *     // answer 404
 * } else if (match.rewritesPath()) {
 *     request.path(match.rewrittenPath()); // RequestHead.path keeps the query
 * }
 * }</pre>
 * A {@code RouteMatch} belongs to one request and is not thread-safe.
 *
 * @param <T> the payload type given to {@link Router.Builder#route}
 */
public final class RouteMatch<T> {

    private final Route<T> route;
    private final String path;
    private final String[] captures;

    RouteMatch(Route<T> route, String path, String[] captures) {
        this.route = route;
        this.path = path;
        this.captures = captures;
    }

    /** The name of the route. */
    public String name() {
        return route.name;
    }

    /** The payload given with the route. */
    public T payload() {
        return route.payload;
    }

    /**
     * The segment captured as {@code {name}} by the route's path pattern, still percent-encoded,
     * or {@code null} when the pattern has no such capture.
     */
    public String capture(String name) {
        int slot = route.path.captureNames().indexOf(name);
        return slot < 0 ? null : captures[slot];
    }

    /** Every capture of the route's path pattern, name to value, in pattern order; empty if none. */
    public Map<String, String> captures() {
        List<String> names = route.path.captureNames();
        Map<String, String> result = LinkedHashMap.newLinkedHashMap(names.size());
        for (int i = 0; i < names.size(); i++) {
            result.put(names.get(i), captures[i]);
        }
        return Collections.unmodifiableMap(result);
    }

    /** Whether the route has a path rewrite (which may still leave this path unchanged). */
    public boolean rewritesPath() {
        return route.rewrite != null;
    }

    /**
     * The path to send upstream, without the query: the matched path after the route's rewrite,
     * or the matched path itself when the route has no rewrite. Computed on each call.
     */
    public String rewrittenPath() {
        return route.rewrite == null ? path : route.rewrite.apply(path, captures);
    }

    @Override
    public String toString() {
        return "RouteMatch[" + route.name + (captures.length == 0 ? "" : ", " + captures()) + "]";
    }
}
