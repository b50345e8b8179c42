package io.portico.plugins.balancers;

import io.portico.api.balancer.Endpoint;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws an index with probability proportional to a weight in constant time: Walker's alias method,
 * in Vose's construction, with integer arithmetic so the probabilities are exact.
 *
 * <p>Think of {@code n} columns, each of height {@code total weight}, and of each endpoint as a bar
 * of height {@code weight * n}. Bars taller than a column are cut down to fill the spare room of
 * shorter ones, so every column holds the bottom part of one endpoint (up to its threshold) and the
 * top part of at most one other (its alias). A draw picks a column and a height in it.
 */
final class AliasTable {

    private final long total;
    private final long[] thresholds;
    private final int[] aliases;
    private final boolean uniform;

    private AliasTable(long total, long[] thresholds, int[] aliases, boolean uniform) {
        this.total = total;
        this.thresholds = thresholds;
        this.aliases = aliases;
        this.uniform = uniform;
    }

    /** The table of the endpoints' weights, by position in the list. */
    static AliasTable of(List<Endpoint> endpoints) {
        int n = endpoints.size();
        long total = 0;
        long[] heights = new long[n];
        boolean uniform = true;
        for (int i = 0; i < n; i++) {
            long weight = endpoints.get(i).weight();
            total += weight;
            heights[i] = weight * n;
            uniform &= heights[i] == heights[0];
        }
        long[] thresholds = new long[n];
        int[] aliases = new int[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int smalls = 0;
        int larges = 0;
        for (int i = 0; i < n; i++) {
            if (heights[i] < total) {
                small[smalls++] = i;
            } else {
                large[larges++] = i;
            }
        }
        while (smalls > 0 && larges > 0) {
            int under = small[--smalls];
            int over = large[--larges];
            thresholds[under] = heights[under];
            aliases[under] = over;
            heights[over] -= total - heights[under];
            if (heights[over] < total) {
                small[smalls++] = over;
            } else {
                large[larges++] = over;
            }
        }
        // What is left fills its own column exactly.
        while (larges > 0) {
            int i = large[--larges];
            thresholds[i] = total;
            aliases[i] = i;
        }
        while (smalls > 0) {
            int i = small[--smalls];
            thresholds[i] = total;
            aliases[i] = i;
        }
        return new AliasTable(total, thresholds, aliases, uniform);
    }

    /** Draws an index, each with probability {@code weight / total weight}. */
    int draw(RandomGenerator random) {
        int column = random.nextInt(thresholds.length);
        if (uniform) {
            return column;
        }
        return random.nextLong(total) < thresholds[column] ? column : aliases[column];
    }
}
