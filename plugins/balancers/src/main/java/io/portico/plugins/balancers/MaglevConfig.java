package io.portico.plugins.balancers;

/**
 * Settings of the {@code maglev} balancer.
 *
 * @param key what to hash in each request; default {@link HashKey#CLIENT_ADDRESS}
 * @param name the header, cookie or query parameter to hash, required for those keys only
 * @param tableSize the number of slots in the lookup table: a prime number up to 5000011, default
 *     65537; keep it at least 100 times the number of endpoints so shares stay close to the weights
 *     (4 bytes a slot)
 */
public record MaglevConfig(HashKey key, String name, Integer tableSize) {

    /** The table size when none is given. */
    public static final int DEFAULT_TABLE_SIZE = 65537;

    /** The largest table size accepted. */
    public static final int MAX_TABLE_SIZE = 5_000_011;

    /** Applies the defaults and checks the settings. */
    public MaglevConfig {
        if (key == null) {
            key = HashKey.CLIENT_ADDRESS;
        }
        RequestKey.validate(key, name);
        if (tableSize == null) {
            tableSize = DEFAULT_TABLE_SIZE;
        }
        if (tableSize > MAX_TABLE_SIZE || !isPrime(tableSize)) {
            throw new IllegalArgumentException("table-size must be a prime number up to " + MAX_TABLE_SIZE
                    + ", such as 65537 or 655373, got " + tableSize);
        }
    }

    private static boolean isPrime(int n) {
        if (n < 2) {
            return false;
        }
        for (int d = 2; (long) d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
