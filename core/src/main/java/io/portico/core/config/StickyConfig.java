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
 * @param secret the key that makes cookie values opaque, at least 16 characters; give the same
 *     one to every Portico instance that serves the same clients, so that their cookies agree and
 *     survive restarts. Absent: a random key per process (cookies re-pin after a restart)
 */
public record StickyConfig(String cookie, Duration maxAge, String path, String secret) {

    /** Applies defaults and validates. */
    public StickyConfig {
        cookie = cookie == null ? "portico-affinity" : cookie;
        if (!cookie.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw new IllegalArgumentException("cookie: not a valid cookie name: '" + cookie + "'");
        }
        if (maxAge != null) {
            maxAge = Durations.positive(maxAge, "max-age");
        }
        path = path == null ? "/" : path;
        if (!path.matches("/[\\x21-\\x3a\\x3c-\\x7e]*")) {
            throw new IllegalArgumentException("path: expected a path starting with '/', without ';', spaces or control characters, got '"
                    + path + "'");
        }
        if (secret != null && secret.length() < 16) {
            throw new IllegalArgumentException("secret: expected at least 16 characters, got " + secret.length());
        }
    }
}
