package dev.striate.data;

import java.util.SplittableRandom;

/**
 * Seeded, deterministic shuffling: a Fisher-Yates permutation drawn from a
 * {@link SplittableRandom}, so a seed gives the same order on every JVM and machine.
 * {@link #seed(long, long, long)} derives independent seeds (per epoch, per image) from one.
 */
public final class Shuffle {
    private Shuffle() {
    }

    /** A permutation of {@code 0..n-1} determined by {@code seed}. */
    public static int[] permutation(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, got " + n);
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The data set in the order of {@link #permutation(int, long)}. */
    public static Dataset shuffled(Dataset dataset, long seed) {
        return dataset.subset(permutation(dataset.size(), seed));
    }

    /**
     * A seed derived from {@code seed} and two indices (e.g. epoch and image) by SplitMix64's
     * mixing function; different index pairs give unrelated seeds.
     */
    public static long seed(long seed, long a, long b) {
        long z = mix(seed + 0x9E3779B97F4A7C15L * (a + 1));
        return mix(z + 0x9E3779B97F4A7C15L * (b + 1));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
