package io.portico.core.config;

import java.time.Duration;

/**
 * Cookie-based session affinity: Portico sets a cookie naming (opaquely) the endpoint that served
 * a client, and sends the client's next requests to that endpoint while it is healthy; when it is
 * not, the balancer picks another and the cookie is re-pinned.
 *
 * @param cookie the cookie's name (default {@code portico-affinity})
 * @param maxAge the cookie's lifetime; absent: a session cookie
 * @param path the cookie's path (default {@code /})
 */
public record StickyConfig(String cookie, Duration maxAge, String path) {

    /** Applies defaults and validates. */
    public StickyConfig {
        cookie = cookie == null ? "portico-affinity" : cookie;
        if (!cookie.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw new IllegalArgumentException("cookie: not a valid cookie name: '" + cookie + "'");
        }
        path = path == null ? "/" : path;
    }
}
