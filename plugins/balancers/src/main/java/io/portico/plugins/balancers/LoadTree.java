package io.portico.plugins.balancers;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The least loaded endpoints of one list, kept up to date as counts change: a tree in which every
 * node holds the least load among a group of 8 endpoints (or of 8 nodes below it) and how many of
 * them share it. The endpoints' counters are the leaves, read where they are; the tree has levels
 * above them only until one level holds at most 16 nodes, which a pick reads in full: 100
 * endpoints make one level of 13 nodes, 1,000 two levels of 125 and 16, and 16 or fewer none at
 * all. A pick reads the top level, then one group per level down to one endpoint, instead of
 * every count. A count that changes leaves its group's node alone when the endpoint neither was
 * nor is among the group's least loaded (no reading of the group at all); otherwise the node is
 * derived again, and its parent when it changed.
 *
 * <p>Loads are {@code (requests in flight + 1) * scale}, the scale of an endpoint being the least
 * common multiple of the list's weights divided by its weight, so that loads of different weights
 * compare as whole numbers. A node is one {@code long}: the least load above 16 bits of ties, hence
 * the limits of {@link #fits}.
 *
 * <p>Updates are lock-free and need no compare-and-set. A thread that changed something below a
 * node settles it: it reads the node, derives it again from below, and if the two differ writes
 * what it derived and starts over, until a reading of the node agrees with a derivation that
 * follows it. A thread that wrote a node settles its parent too. When the threads stop, every node
 * agrees with what is below it: the last write to a node is followed by its writer's own check
 * against everything below written before it, and a change below written after it is followed by
 * its writer's check against that last write. (Reads and writes of nodes are volatile, so that a
 * write and the reading that follows it are not reordered.)
 */
final class LoadTree {

    /** The largest scale supported, so that a load fits 47 bits even for a retired counter. */
    static final long MAX_SCALE = 1 << 16;
    /** The most endpoints a tree holds: ties are counted in 16 bits. */
    static final int MAX_ENDPOINTS = (1 << 16) - 1;

    private static final VarHandle NODES = MethodHandles.arrayElementVarHandle(long[].class);
    /** log2 of the entries under one node: 8, so that deriving a node reads few counters. */
    private static final int SHIFT = 3;
    private static final int FANOUT = 1 << SHIFT;
    /** The most nodes of the top level, which a pick reads in full. */
    private static final int TOP = 16;
    private static final int TIES = 16;
    private static final long TIES_MASK = (1L << TIES) - 1;

    private final LeastConnectionsBalancer.Counter[] counters;
    private final int[] scales;
    /**
     * The levels above the counters: node {@code k} of level 0 covers counters {@code 8k} to
     * {@code 8k + 7}, node {@code k} of level {@code l} nodes {@code 8k} to {@code 8k + 7} of level
     * {@code l - 1}. The last level holds at most 16 nodes.
     */
    private final long[][] levels;

    /** Whether a list of {@code endpoints} whose loads scale by at most {@code scale} fits a tree. */
    static boolean fits(int endpoints, long scale) {
        return endpoints <= MAX_ENDPOINTS && scale <= MAX_SCALE;
    }

    /**
     * A tree over {@code counters} (by position in the list) whose nodes are yet to be derived:
     * {@link #refreshAll} does it.
     *
     * @param scales by position, the factor turning an endpoint's count plus one into its load
     */
    LoadTree(LeastConnectionsBalancer.Counter[] counters, int[] scales) {
        this.counters = counters;
        this.scales = scales;
        int depth = 0;
        for (int width = counters.length; width > TOP; width = groups(width)) {
            depth++;
        }
        levels = new long[depth][];
        for (int level = 0, width = counters.length; level < depth; level++) {
            width = groups(width);
            levels[level] = new long[width];
        }
    }

    private static int groups(int entries) {
        return (entries + FANOUT - 1) >>> SHIFT;
    }

    /**
     * The position of an endpoint of the least load, chosen uniformly among those that tie, from
     * the random bits of {@code seed}. Under concurrent changes a pick may read nodes that are
     * being settled; it then follows the least loaded entries it reads at each level.
     */
    int pick(long seed) {
        long draw = seed >>> 32;
        long[][] tree = levels;
        if (tree.length == 0) {
            return pickCounter(0, counters.length, -1, 0, draw);
        }
        int level = tree.length - 1;
        long[] nodes = tree[level];
        int from = 0;
        int to = nodes.length;
        long least = -1;
        int rank = 0;
        while (true) {
            if (least < 0) {
                // The top level, or entries that moved since the node above was read.
                long top = combine(nodes, from, to);
                least = top >>> TIES;
                rank = (int) ((draw * (top & TIES_MASK)) >>> 32);
            }
            // The entry holding the rank-th of the ties (of the same least load as the group), and
            // the rank among its own.
            int chosen = -1;
            for (int i = from; i < to; i++) {
                long node = (long) NODES.getVolatile(nodes, i);
                if (node >>> TIES == least) {
                    int here = (int) (node & TIES_MASK);
                    if (rank < here) {
                        chosen = i;
                        break;
                    }
                    rank -= here;
                }
            }
            if (chosen < 0) {
                least = -1;
                continue;
            }
            from = chosen << SHIFT;
            if (level == 0) {
                return pickCounter(from, Math.min(from + FANOUT, counters.length), least, rank, draw);
            }
            nodes = tree[--level];
            to = Math.min(from + FANOUT, nodes.length);
        }
    }

    /**
     * The rank-th of the counters of load {@code least} among those from {@code from} to {@code to}
     * (excluded), as the node above them has it; if the counts moved since it was read (or {@code
     * least} is negative: there is no node above), one of the least loaded counters there now.
     */
    private int pickCounter(int from, int to, long least, int rank, long draw) {
        LeastConnectionsBalancer.Counter[] all = counters;
        int[] scale = scales;
        for (int i = from; least >= 0 && i < to; i++) {
            if (load(all, scale, i) == least && rank-- == 0) {
                return i;
            }
        }
        long now = derive(all, scale, from, to);
        least = now >>> TIES;
        rank = (int) ((draw * (now & TIES_MASK)) >>> 32);
        int chosen = from;
        for (int i = from; i < to; i++) {
            if (load(all, scale, i) == least) {
                chosen = i;
                if (rank-- == 0) {
                    break;
                }
            }
        }
        return chosen;
    }

    /**
     * Carries a change of the count at {@code position} from {@code before} to {@code after} up
     * the tree, as far as nodes change.
     *
     * <p>Most changes need not read the group: when the endpoint's load neither was nor is the
     * least its group's node holds, the node stays as it is (the argument of the class comment
     * holds for this check too: the node agreed with the counts before the change, or a write to
     * it is yet to be checked by its writer). Otherwise the node's new value is written if it
     * follows from the old one, and checked like any write.
     */
    void refresh(int position, int before, int after) {
        long[][] tree = levels;
        if (tree.length == 0) {
            return;
        }
        long[] nodes = tree[0];
        int node = position >>> SHIFT;
        long current = (long) NODES.getVolatile(nodes, node);
        long least = current >>> TIES;
        long scale = scales[position];
        long was = (before + 1L) * scale;
        long now = (after + 1L) * scale;
        if (was > least && now > least) {
            return;
        }
        if (now < least) {
            NODES.setVolatile(nodes, node, now << TIES | 1);
        } else if (now == least) {
            NODES.setVolatile(nodes, node, current + 1);
        } else if ((current & TIES_MASK) > 1) {
            NODES.setVolatile(nodes, node, current - 1);
        }
        settle(0, node);
        for (int level = 1; level < tree.length && settle(level, node >>>= SHIFT); level++) {
            // Each node written: its parent may change too.
        }
    }

    /** Derives every node from the counts, lowest level first. */
    void refreshAll() {
        for (int level = 0; level < levels.length; level++) {
            for (int node = 0; node < levels[level].length; node++) {
                settle(level, node);
            }
        }
    }

    /**
     * Makes a node agree with what is below it (see the class comment); whether this thread wrote
     * it, and so must settle its parent too.
     */
    private boolean settle(int level, int node) {
        long[] nodes = levels[level];
        long[] below = level == 0 ? null : levels[level - 1];
        LeastConnectionsBalancer.Counter[] all = counters;
        int[] scale = scales;
        boolean wrote = false;
        while (true) {
            long current = (long) NODES.getVolatile(nodes, node);
            long derived = below == null
                    ? derive(all, scale, node << SHIFT, Math.min((node << SHIFT) + FANOUT, all.length))
                    : combine(below, node << SHIFT, Math.min((node << SHIFT) + FANOUT, below.length));
            if (derived == current) {
                return wrote;
            }
            NODES.setVolatile(nodes, node, derived);
            wrote = true;
        }
    }

    /** The least load of the counters from {@code from} to {@code to} (excluded) and its ties, as a node. */
    private static long derive(LeastConnectionsBalancer.Counter[] all, int[] scale, int from, int to) {
        long least = Long.MAX_VALUE;
        long ties = 0;
        for (int i = from; i < to; i++) {
            long load = load(all, scale, i);
            if (load < least) {
                least = load;
                ties = 1;
            } else if (load == least) {
                ties++;
            }
        }
        return least << TIES | ties;
    }

    /** The least load among the nodes from {@code from} to {@code to} (excluded) and its ties, as a node. */
    private static long combine(long[] nodes, int from, int to) {
        long least = Long.MAX_VALUE;
        long ties = 0;
        for (int i = from; i < to; i++) {
            long entry = (long) NODES.getVolatile(nodes, i);
            long load = entry >>> TIES;
            if (load < least) {
                least = load;
                ties = entry & TIES_MASK;
            } else if (load == least) {
                ties += entry & TIES_MASK;
            }
        }
        return least << TIES | ties;
    }

    private static long load(LeastConnectionsBalancer.Counter[] all, int[] scale, int position) {
        return (all[position].value + 1L) * scale[position];
    }
}
