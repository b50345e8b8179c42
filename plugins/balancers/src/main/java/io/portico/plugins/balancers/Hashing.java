package io.portico.plugins.balancers;

/**
 * The 64-bit hash that consistent-hashing balancers place endpoints and keys with.
 *
 * <p>It reads four UTF-16 characters at a time, mixes each block with multiply-rotate-multiply
 * steps in the manner of MurmurHash3, and ends with MurmurHash3's 64-bit finalizer, so that every
 * input bit affects every output bit. It hashes a region of a string without copying it, and is
 * defined only by its inputs: the same key and seed give the same hash in every process, which
 * keeps several Portico instances in agreement.
 */
final class Hashing {

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private Hashing() {
    }

    /** The hash of all of {@code text}. */
    static long hash(CharSequence text, long seed) {
        return hash(text, 0, text.length(), seed);
    }

    /** The hash of the characters of {@code text} from {@code from} (inclusive) to {@code to}. */
    static long hash(CharSequence text, int from, int to, long seed) {
        long h = seed ^ ((to - from) * C2);
        int i = from;
        for (; i + 4 <= to; i += 4) {
            long block = text.charAt(i)
                    | (long) text.charAt(i + 1) << 16
                    | (long) text.charAt(i + 2) << 32
                    | (long) text.charAt(i + 3) << 48;
            h ^= scramble(block);
            h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
        }
        long tail = 0;
        for (int shift = 0; i < to; i++, shift += 16) {
            tail |= (long) text.charAt(i) << shift;
        }
        return mix(h ^ scramble(tail));
    }

    /** Spreads the bits of {@code value} over all 64 bits (MurmurHash3's finalizer). */
    static long mix(long value) {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static long scramble(long block) {
        return Long.rotateLeft(block * C1, 31) * C2;
    }
}
