package dev.striate.train;

/** Small shared pieces of arithmetic on model outputs: the predicted class, the correct count. */
final class Metrics {
    private Metrics() {
    }

    /** The index of the largest of {@code k} outputs at {@code offset}; the first on ties, NaN never wins. */
    static int argmax(float[] outputs, int offset, int k) {
        int best = 0;
        float max = outputs[offset];
        for (int j = 1; j < k; j++) {
            float v = outputs[offset + j];
            if (v > max || (Float.isNaN(max) && !Float.isNaN(v))) {
                max = v;
                best = j;
            }
        }
        return best;
    }

    /** How many of the {@code n} samples have their label as the argmax of their {@code k} outputs. */
    static int countCorrect(float[] outputs, int[] labels, int n, int k) {
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (argmax(outputs, i * k, k) == labels[i]) {
                correct++;
            }
        }
        return correct;
    }
}
