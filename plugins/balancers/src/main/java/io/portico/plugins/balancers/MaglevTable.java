package io.portico.plugins.balancers;

import io.portico.api.balancer.Endpoint;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A Maglev lookup table (Eisenbud et al., NSDI 2016): a prime number of slots, each owned by one
 * endpoint, filled so that every endpoint owns a share of slots proportional to its weight and a
 * change of endpoints disturbs few slots. A key belongs to the owner of slot {@code hash mod size}:
 * one array read per lookup.
 *
 * <p>Each endpoint has its own permutation of the slots, derived from hashes of its id: start at
 * {@code offset}, step by {@code skip} (the size being prime, every slot is visited). The endpoints
 * take turns claiming the next free slot of their permutation until the table is full; an endpoint
 * of half the greatest weight takes every other turn. Turns are taken in order of endpoint id, so
 * the table depends only on the set of endpoints, not on their order in the list.
 */
final class MaglevTable implements ConsistentHashBalancer.Table {

    private static final long OFFSET_SEED = 0x2545f4914f6cdd1dL;
    private static final long SKIP_SEED = 0x9e3779b97f4a7c15L;

    private final int[] slots;

    private MaglevTable(int[] slots) {
        this.slots = slots;
    }

    /**
     * Builds the table of {@code endpoints}.
     *
     * @param size the number of slots, a prime; much larger than the number of endpoints (100
     *     times or more) keeps the shares close to the weights
     */
    static MaglevTable of(List<Endpoint> endpoints, int size) {
        int n = endpoints.size();
        int[] turnOrder = IntStream.range(0, n).boxed()
                .sorted(Comparator.comparing(i -> endpoints.get(i).id()))
                .mapToInt(Integer::intValue).toArray();
        long[] position = new long[n];
        long[] skip = new long[n];
        long[] weight = new long[n];
        long maxWeight = 1;
        for (int i = 0; i < n; i++) {
            String id = endpoints.get(i).id();
            position[i] = Long.remainderUnsigned(Hashing.hash(id, OFFSET_SEED), size);
            skip[i] = Long.remainderUnsigned(Hashing.hash(id, SKIP_SEED), size - 1) + 1;
            weight[i] = endpoints.get(i).weight();
            maxWeight = Math.max(maxWeight, weight[i]);
        }
        int[] slots = new int[size];
        Arrays.fill(slots, -1);
        // An endpoint takes its k-th turn in the first round r with r * weight >= k * maxWeight.
        long[] nextTurn = new long[n];
        int filled = 0;
        for (long round = 0; filled < size; round++) {
            for (int k = 0; k < n && filled < size; k++) {
                int i = turnOrder[k];
                if (round * weight[i] < nextTurn[i]) {
                    continue;
                }
                nextTurn[i] += maxWeight;
                while (slots[(int) position[i]] >= 0) {
                    position[i] = (position[i] + skip[i]) % size;
                }
                slots[(int) position[i]] = i;
                filled++;
            }
        }
        return new MaglevTable(slots);
    }

    @Override
    public int owner(long hash) {
        return slots[(int) Long.remainderUnsigned(hash, slots.length)];
    }
}
