package io.portico.core.upstream;

import io.portico.core.config.StickyConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The session-affinity cookie of one upstream: which endpoint a client is pinned to.
 *
 * <p>The cookie's value names an endpoint opaquely: the first 12 bytes of
 * HMAC-SHA256(key, upstream name + endpoint id), in base64url (16 characters). A client learns
 * nothing of the endpoint's address, and cannot name an endpoint it was not given. The key is the
 * configured {@link StickyConfig#secret() secret}, or else a random key drawn once per process:
 * then every restart re-pins the clients, and several Portico instances serving the same clients
 * each re-pin them too, so give them all the same secret.
 *
 * <p>Everything is computed when the upstream is built; reading a request's cookies allocates
 * only the candidate value. Values are validated (length and alphabet) before they are looked up,
 * and anything malformed counts as no cookie.
 */
public final class StickyCookie {

    private static final int TOKEN_BYTES = 12;
    private static final int TOKEN_LENGTH = 16;
    private static final byte[] PROCESS_KEY = randomKey();

    private final String name;
    private final Map<String, UpstreamEndpoint> byToken = new HashMap<>();
    private final Map<UpstreamEndpoint, String> setCookie = new IdentityHashMap<>();

    /**
     * @param upstream the upstream's name, part of each value, so that two upstreams name the same
     *     address differently
     * @param endpoints every endpoint of the upstream, primary and backup
     * @param config the cookie's name, attributes and key
     */
    public StickyCookie(String upstream, List<UpstreamEndpoint> endpoints, StickyConfig config) {
        this.name = config.cookie();
        byte[] key = config.secret() == null ? PROCESS_KEY : config.secret().getBytes(StandardCharsets.UTF_8);
        String attributes = "; Path=" + config.path()
                + (config.maxAge() == null ? "" : "; Max-Age=" + config.maxAge().toSeconds())
                + "; HttpOnly; SameSite=Lax";
        for (UpstreamEndpoint endpoint : endpoints) {
            String token = token(key, upstream + "\n" + endpoint.id());
            byToken.putIfAbsent(token, endpoint);
            setCookie.put(endpoint, name + "=" + token + attributes);
        }
    }

    /** The cookie's name. */
    public String name() {
        return name;
    }

    /**
     * The endpoint a request's {@code Cookie} headers pin it to.
     *
     * @param cookieHeaders the values of every {@code Cookie} header of the request
     * @return the endpoint, or {@code null} when no cookie of this name names one of the upstream's
     *     endpoints (absent, malformed, from another key, or an endpoint since removed)
     */
    public UpstreamEndpoint pinned(List<String> cookieHeaders) {
        for (String header : cookieHeaders) {
            UpstreamEndpoint endpoint = pinned(header);
            if (endpoint != null) {
                return endpoint;
            }
        }
        return null;
    }

    /** The {@code Set-Cookie} value that pins a client to {@code endpoint}. */
    public String setCookie(UpstreamEndpoint endpoint) {
        return setCookie.get(endpoint);
    }

    /** Reads {@code name=value} pairs separated by {@code ;}, with optional spaces and quotes. */
    private UpstreamEndpoint pinned(String header) {
        int length = header.length();
        int start = 0;
        while (start < length) {
            int end = header.indexOf(';', start);
            if (end < 0) {
                end = length;
            }
            int equals = header.indexOf('=', start);
            if (equals > start && equals < end) {
                int nameStart = skipSpaces(header, start, equals);
                int nameEnd = trimSpaces(header, nameStart, equals);
                if (nameEnd - nameStart == name.length() && header.startsWith(name, nameStart)) {
                    UpstreamEndpoint endpoint = lookUp(header, skipSpaces(header, equals + 1, end), trimSpaces(header, equals + 1, end));
                    if (endpoint != null) {
                        return endpoint;
                    }
                }
            }
            start = end + 1;
        }
        return null;
    }

    private UpstreamEndpoint lookUp(String header, int from, int to) {
        if (to - from == TOKEN_LENGTH + 2 && header.charAt(from) == '"' && header.charAt(to - 1) == '"') {
            from++;
            to--;
        }
        if (to - from != TOKEN_LENGTH) {
            return null;
        }
        for (int i = from; i < to; i++) {
            char c = header.charAt(i);
            boolean base64url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!base64url) {
                return null;
            }
        }
        return byToken.get(header.substring(from, to));
    }

    private static int skipSpaces(String s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimSpaces(String s, int from, int to) {
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return to;
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static String token(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = Arrays.copyOf(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)), TOKEN_BYTES);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
