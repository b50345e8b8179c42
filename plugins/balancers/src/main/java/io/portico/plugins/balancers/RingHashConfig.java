package io.portico.plugins.balancers;

/**
 * Settings of the {@code ring-hash} balancer.
 *
 * @param key what to hash in each request; default {@link HashKey#CLIENT_ADDRESS}
 * @param name the header, cookie or query parameter to hash, required for those keys only
 * @param minRingSize the fewest points on the ring, from 1 to 8388608, default 1024; more points
 *     make the endpoints' shares closer to their weights at the cost of memory (8 bytes a point)
 */
public record RingHashConfig(HashKey key, String name, Integer minRingSize) {

    /** The ring size when none is given. */
    public static final int DEFAULT_MIN_RING_SIZE = 1024;

    /** Applies the defaults and checks the settings. */
    public RingHashConfig {
        if (key == null) {
            key = HashKey.CLIENT_ADDRESS;
        }
        RequestKey.validate(key, name);
        if (minRingSize == null) {
            minRingSize = DEFAULT_MIN_RING_SIZE;
        }
        if (minRingSize < 1 || minRingSize > HashRing.MAX_SIZE) {
            throw new IllegalArgumentException("min-ring-size must be from 1 to " + HashRing.MAX_SIZE
                    + ", got " + minRingSize);
        }
    }
}
