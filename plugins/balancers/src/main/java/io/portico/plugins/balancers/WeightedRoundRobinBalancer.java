package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.SelectionContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Smooth weighted round robin, the algorithm of nginx's {@code upstream} module.
 *
 * <p>Each endpoint has a running score. On every pick each score grows by the endpoint's weight, the
 * endpoint with the highest score is chosen, and its score drops by the total weight. Over a cycle
 * of {@code total weight} picks every endpoint is chosen exactly {@code weight} times, and the picks
 * of a heavy endpoint are spread through the cycle instead of bunched: weights 5, 1, 1 give
 * {@code a a b a c a a}, not {@code a a a a a b c}.
 *
 * <p>The sequence is periodic, so for a list whose cycle is short enough it is computed once into a
 * schedule, and a pick is one atomic increment and an array read. A list whose cycle would be too
 * long or too costly to precompute (weights such as 100000 and 1) runs the algorithm live on every
 * pick under a short lock instead; both give the same sequence.
 */
final class WeightedRoundRobinBalancer implements Balancer {

    /** The longest cycle precomputed by default: 256 KiB of schedule. */
    static final int DEFAULT_MAX_SCHEDULE = 1 << 16;

    /** The most steps (cycle length times endpoints) spent precomputing one schedule. */
    private static final long MAX_PRECOMPUTE_STEPS = 1L << 22;

    private final int maxSchedule;
    private final AtomicLong picks = new AtomicLong();
    private final PerListCache<Schedule> schedules = new PerListCache<>(this::schedule);

    WeightedRoundRobinBalancer() {
        this(DEFAULT_MAX_SCHEDULE);
    }

    /** @param maxSchedule the longest cycle to precompute; longer ones run live */
    WeightedRoundRobinBalancer(int maxSchedule) {
        this.maxSchedule = maxSchedule;
    }

    @Override
    public Endpoint select(List<Endpoint> endpoints, SelectionContext context) {
        return endpoints.get(schedules.get(endpoints).next(picks.getAndIncrement()));
    }

    private Schedule schedule(List<Endpoint> endpoints) {
        int[] weights = reducedWeights(endpoints);
        long total = 0;
        for (int weight : weights) {
            total += weight;
        }
        if (total > maxSchedule || total * weights.length > MAX_PRECOMPUTE_STEPS) {
            return new Live(weights, total);
        }
        int[] order = new int[(int) total];
        long[] scores = new long[weights.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = step(weights, scores, total);
        }
        return new Precomputed(order);
    }

    /** The weights divided by their greatest common divisor: the same sequence, a shorter cycle. */
    private static int[] reducedWeights(List<Endpoint> endpoints) {
        int[] weights = new int[endpoints.size()];
        int gcd = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = endpoints.get(i).weight();
            gcd = (int) Loads.gcd(gcd, weights[i]);
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] /= gcd;
        }
        return weights;
    }

    /** One pick of the smooth algorithm: updates {@code scores} and returns the chosen index. */
    private static int step(int[] weights, long[] scores, long total) {
        int best = 0;
        for (int i = 0; i < weights.length; i++) {
            scores[i] += weights[i];
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        scores[best] -= total;
        return best;
    }

    /** Yields the index of the endpoint for pick number {@code pick}. */
    private sealed interface Schedule {
        int next(long pick);
    }

    /** A whole cycle, computed in advance; lock-free. */
    private record Precomputed(int[] order) implements Schedule {
        @Override
        public int next(long pick) {
            return order[(int) Math.floorMod(pick, (long) order.length)];
        }
    }

    /** The algorithm run on each pick, for cycles too long to precompute. */
    private static final class Live implements Schedule {
        private final int[] weights;
        private final long[] scores;
        private final long total;

        Live(int[] weights, long total) {
            this.weights = weights;
            this.scores = new long[weights.length];
            this.total = total;
        }

        @Override
        public synchronized int next(long pick) {
            return step(weights, scores, total);
        }
    }
}
