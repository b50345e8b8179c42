package io.portico.plugins.balancers;

import io.portico.api.balancer.Endpoint;
import java.util.Arrays;
import java.util.List;

/**
 * A consistent-hashing ring (Karger et al.): each endpoint is placed at many points of a 64-bit
 * circle, and a key belongs to the first point at or after its hash, going round.
 *
 * <p>Points are hashes of the endpoint's id and a replica number, so they do not depend on the
 * other endpoints: when an endpoint leaves, only the keys it owned move (to the next points along),
 * and when it returns they come back. Each endpoint gets a number of points proportional to its
 * weight, at least {@code minSize} in all, at most {@link #MAX_SIZE}.
 *
 * <p>The ring is one sorted {@code long[]}: the high bits of each entry are the point's position,
 * the low bits the endpoint's index in the list. A lookup is a binary search.
 */
final class HashRing implements ConsistentHashBalancer.Table {

    /** The most points a ring holds (64 MiB). */
    static final int MAX_SIZE = 1 << 23;

    private final long[] points;
    private final long ownerMask;

    private HashRing(long[] points, long ownerMask) {
        this.points = points;
        this.ownerMask = ownerMask;
    }

    /**
     * Builds the ring of {@code endpoints}.
     *
     * @param minSize the fewest points; more are used when needed to keep every weight exact
     */
    static HashRing of(List<Endpoint> endpoints, int minSize) {
        int n = endpoints.size();
        int ownerBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(n - 1));
        long ownerMask = (1L << ownerBits) - 1;
        long totalWeight = 0;
        for (Endpoint endpoint : endpoints) {
            totalWeight += endpoint.weight();
        }
        // Points per unit of weight, so that the ring has at least minSize points in exact proportion;
        // weights too large for that are scaled down to fit MAX_SIZE.
        long perWeight = Math.ceilDiv(minSize, totalWeight);
        boolean scaled = perWeight * totalWeight > MAX_SIZE;
        int[] replicas = new int[n];
        long size = 0;
        for (int i = 0; i < n; i++) {
            long weight = endpoints.get(i).weight();
            replicas[i] = (int) (scaled ? Math.max(1, weight * MAX_SIZE / totalWeight) : weight * perWeight);
            size += replicas[i];
        }
        long[] points = new long[(int) size];
        int next = 0;
        for (int i = 0; i < n; i++) {
            String id = endpoints.get(i).id();
            for (int replica = 0; replica < replicas[i]; replica++) {
                points[next++] = (Hashing.hash(id, replica) & ~ownerMask) | i;
            }
        }
        Arrays.sort(points);
        return new HashRing(points, ownerMask);
    }

    @Override
    public int owner(long hash) {
        int i = Arrays.binarySearch(points, hash & ~ownerMask);
        if (i < 0) {
            i = -i - 1;
        }
        return (int) (points[i == points.length ? 0 : i] & ownerMask);
    }

    /** The number of points. */
    int size() {
        return points.length;
    }
}
