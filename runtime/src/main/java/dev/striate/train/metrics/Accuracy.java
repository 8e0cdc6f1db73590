package dev.striate.train.metrics;

/** Arg-max predictions over rows of scores, and the fraction of them that match the labels. */
public final class Accuracy {
    private Accuracy() {
    }

    /** The index of the largest of {@code k} scores starting at {@code offset}; the first one wins a tie, NaN never wins. */
    public static int argmax(float[] scores, int offset, int k) {
        if (k <= 0 || offset < 0 || offset + k > scores.length) {
            throw new IllegalArgumentException("no " + k + " scores at offset " + offset + " in " + scores.length);
        }
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        boolean found = false;
        for (int j = 0; j < k; j++) {
            float v = scores[offset + j];
            if (!Float.isNaN(v) && (!found || v > bestValue)) {
                best = j;
                bestValue = v;
                found = true;
            }
        }
        return best;
    }

    /** The arg-max class of each of {@code n} rows of {@code k} scores. */
    public static int[] predictions(float[] scores, int n, int k) {
        if ((long) n * k > scores.length) {
            throw new IllegalArgumentException(n + " rows of " + k + " scores need " + (long) n * k
                    + " values, got " + scores.length);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = argmax(scores, i * k, k);
        }
        return out;
    }

    /** How many of the {@code n} rows have their arg-max equal to the label. */
    public static int correct(float[] scores, int[] labels, int n, int k) {
        int[] predicted = predictions(scores, n, k);
        if (labels.length < n) {
            throw new IllegalArgumentException("need " + n + " labels, got " + labels.length);
        }
        int hits = 0;
        for (int i = 0; i < n; i++) {
            hits += predicted[i] == labels[i] ? 1 : 0;
        }
        return hits;
    }

    /** The fraction of the {@code n} rows whose arg-max equals the label (0 when {@code n == 0}). */
    public static double accuracy(float[] scores, int[] labels, int n, int k) {
        return n == 0 ? 0 : (double) correct(scores, labels, n, k) / n;
    }
}
