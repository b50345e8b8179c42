package io.portico.plugins.balancers;

import io.portico.api.balancer.SelectionContext;
import io.portico.api.http.RequestHead;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Finds the key a consistent-hashing balancer hashes in a request, and hashes it.
 *
 * <p>A key that is missing or empty (no such header, cookie or parameter; no request head on a TCP
 * connection) yields {@link #ABSENT}, and the balancer then spreads the request instead of sending
 * every keyless request to one endpoint.
 */
final class RequestKey {

    /** What {@link #hash} returns when the request has no key; no key hashes to it. */
    static final long ABSENT = 0;

    private static final long SEED = 0x5bd1e9955bd1e995L;

    private final HashKey key;
    private final String name;

    /**
     * @param key what to hash
     * @param name the header, cookie or query parameter, for the keys that need one; else {@code null}
     * @throws IllegalArgumentException when {@code name} is missing but needed, or given but unused
     */
    RequestKey(HashKey key, String name) {
        validate(key, name);
        this.key = key;
        this.name = name;
    }

    /**
     * Checks that {@code name} is given exactly when {@code key} needs one.
     *
     * @throws IllegalArgumentException naming the {@code name} setting and what was expected
     */
    static void validate(HashKey key, String name) {
        String keyText = key.name().toLowerCase(Locale.ROOT).replace('_', '-');
        if (key.named() && (name == null || name.isBlank())) {
            throw new IllegalArgumentException("name is required when key is " + keyText
                    + ": the " + (key == HashKey.QUERY ? "query parameter" : keyText) + " to hash");
        }
        if (!key.named() && name != null) {
            throw new IllegalArgumentException("name applies only when key is header, cookie or query,"
                    + " but key is " + keyText);
        }
    }

    /** The hash of the request's key, or {@link #ABSENT}. */
    long hash(SelectionContext context) {
        if (context == null) {
            return ABSENT;
        }
        if (key == HashKey.CLIENT_ADDRESS) {
            return clientAddressHash(context.clientAddress());
        }
        RequestHead request = context.request();
        if (request == null) {
            return ABSENT;
        }
        return switch (key) {
            case HEADER -> textHash(request.headers().get(name));
            case COOKIE -> cookieHash(request);
            case PATH -> textHash(request.path());
            case QUERY -> textHash(request.queryParam(name));
            case CLIENT_ADDRESS -> throw new AssertionError("handled above");
        };
    }

    private static long clientAddressHash(InetSocketAddress client) {
        InetAddress address = client == null ? null : client.getAddress();
        // An IPv4 address's hashCode is the address itself; an IPv6 one folds the 128 bits into 32.
        return address == null ? ABSENT : present(Hashing.mix(address.hashCode() ^ SEED));
    }

    private static long textHash(String text) {
        return text == null || text.isEmpty() ? ABSENT : present(Hashing.hash(text, SEED));
    }

    private long cookieHash(RequestHead request) {
        for (String header : request.headers().getAll("cookie")) {
            long hash = cookieHash(header, name);
            if (hash != ABSENT) {
                return hash;
            }
        }
        return ABSENT;
    }

    /** The hash of cookie {@code name}'s value in a {@code Cookie} header value, or {@link #ABSENT}. */
    static long cookieHash(String header, String name) {
        int length = header.length();
        int pos = 0;
        while (pos < length) {
            while (pos < length && (header.charAt(pos) == ' ' || header.charAt(pos) == ';')) {
                pos++;
            }
            int end = header.indexOf(';', pos);
            if (end < 0) {
                end = length;
            }
            int valueStart = pos + name.length() + 1;
            if (valueStart <= end && header.startsWith(name, pos) && header.charAt(pos + name.length()) == '=') {
                int valueEnd = end;
                while (valueEnd > valueStart && header.charAt(valueEnd - 1) == ' ') {
                    valueEnd--;
                }
                return valueEnd == valueStart ? ABSENT : present(Hashing.hash(header, valueStart, valueEnd, SEED));
            }
            pos = end + 1;
        }
        return ABSENT;
    }

    private static long present(long hash) {
        return hash == ABSENT ? 1 : hash;
    }
}
