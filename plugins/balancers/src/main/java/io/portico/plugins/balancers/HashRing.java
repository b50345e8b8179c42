package io.portico.plugins.balancers;

import io.portico.api.balancer.Endpoint;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A consistent-hashing ring (Karger et al.): each endpoint is placed at many points of a 64-bit
 * circle, and a key belongs to the first point at or after its hash, going round.
 *
 * <p>Points are hashes of the endpoint's id and a replica number, and each endpoint gets {@code
 * weight * pointsPerWeight} of them. A {@link Builder} keeps {@code pointsPerWeight} from one ring to
 * the next, so an endpoint's points do not depend on the other endpoints: when an endpoint leaves,
 * only the keys it owned move (to the next points along), and when it returns they come back.
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

    private static HashRing of(List<Endpoint> endpoints, int[] replicas) {
        int n = endpoints.size();
        long ownerMask = (1L << Math.max(1, 32 - Integer.numberOfLeadingZeros(n - 1))) - 1;
        long[] points = new long[Arrays.stream(replicas).sum()];
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

    /**
     * Builds the rings of one balancer as its endpoints come and go.
     *
     * <p>The first ring gets the fewest points per unit of weight that make at least {@code
     * minSize} points. Later rings keep that number, so endpoints keep their points, unless the ring
     * would then exceed {@link #MAX_SIZE}; the number is then lowered to fit, which moves keys once.
     * Weights totalling more than {@link #MAX_SIZE} are scaled down, each endpoint keeping at least
     * one point.
     */
    static final class Builder implements Function<List<Endpoint>, ConsistentHashBalancer.Table> {

        private final int minSize;
        private volatile long pointsPerWeight;

        /** @param minSize the fewest points of the first ring */
        Builder(int minSize) {
            this.minSize = minSize;
        }

        @Override
        public HashRing apply(List<Endpoint> endpoints) {
            long totalWeight = 0;
            for (Endpoint endpoint : endpoints) {
                totalWeight += endpoint.weight();
            }
            int[] replicas = new int[endpoints.size()];
            if (totalWeight > MAX_SIZE) {
                for (int i = 0; i < replicas.length; i++) {
                    replicas[i] = (int) Math.max(1, endpoints.get(i).weight() * (long) MAX_SIZE / totalWeight);
                }
                return of(endpoints, replicas);
            }
            long perWeight = pointsPerWeight;
            if (perWeight == 0) {
                perWeight = Math.ceilDiv(minSize, totalWeight);
            }
            perWeight = Math.min(perWeight, MAX_SIZE / totalWeight);
            pointsPerWeight = perWeight;
            for (int i = 0; i < replicas.length; i++) {
                replicas[i] = (int) (endpoints.get(i).weight() * perWeight);
            }
            return of(endpoints, replicas);
        }
    }
}
