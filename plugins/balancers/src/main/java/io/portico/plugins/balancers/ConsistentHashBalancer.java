package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.SelectionContext;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Sends each request to the endpoint that owns the hash of its key in a lookup table (a {@link
 * HashRing} or a {@link MaglevTable}) built once per endpoint list.
 *
 * <p>A request without a key is sent to the owner of a random hash, which spreads keyless requests
 * in proportion to the endpoints' shares of the table. A retry ({@code attempt > 0}) offered a list
 * other than the one the table was built for is sent to a random endpoint of that list: rebuilding
 * the table for one retry would cost more than the affinity is worth, and the key's own endpoint has
 * just failed anyway.
 */
final class ConsistentHashBalancer implements Balancer {

    /** Maps a hash to the index of the endpoint that owns it. */
    interface Table {
        /** The index, in the list the table was built from, of the endpoint owning {@code hash}. */
        int owner(long hash);
    }

    private final RequestKey key;
    private final PerListCache<Table> tables;
    private final RandomGenerator random;

    /**
     * @param key what to hash in a request
     * @param builder builds the table of an endpoint list
     * @param random where keyless requests and retries get their randomness
     */
    ConsistentHashBalancer(RequestKey key, Function<List<Endpoint>, Table> builder, RandomGenerator random) {
        this.key = key;
        this.tables = new PerListCache<>(builder);
        this.random = random;
    }

    @Override
    public Endpoint select(List<Endpoint> endpoints, SelectionContext context) {
        Table table = tables.peek(endpoints);
        if (table == null) {
            if (context != null && context.attempt() > 0) {
                return endpoints.get(random.nextInt(endpoints.size()));
            }
            table = tables.get(endpoints);
        }
        long hash = key.hash(context);
        return endpoints.get(table.owner(hash == RequestKey.ABSENT ? random.nextLong() : hash));
    }
}
