package dev.striate.train.loss;

/** Argument checks shared by the losses: exact messages for shapes that do not fit. */
final class LossArguments {
    private LossArguments() {
    }

    /** Checks n, k, the outputs and gradient arrays, and that exactly one kind of target is given. */
    static void check(float[] outputs, int[] targets, float[] dense, int n, int k, float[] dOutputs) {
        if (n <= 0 || k <= 0) {
            throw new IllegalArgumentException("batch size and output size must be positive, got n=" + n + ", k=" + k);
        }
        long size = (long) n * k;
        if (outputs == null || outputs.length < size) {
            throw new IllegalArgumentException("outputs must hold n*k = " + size + " values, got "
                    + (outputs == null ? "null" : outputs.length));
        }
        if (dOutputs == null || dOutputs.length < size) {
            throw new IllegalArgumentException("dOutputs must hold n*k = " + size + " values, got "
                    + (dOutputs == null ? "null" : dOutputs.length));
        }
        if ((targets == null) == (dense == null)) {
            throw new IllegalArgumentException("give exactly one of targets (class indices) and dense targets");
        }
        if (targets != null && targets.length < n) {
            throw new IllegalArgumentException("targets must hold n = " + n + " labels, got " + targets.length);
        }
        if (dense != null && dense.length < size) {
            throw new IllegalArgumentException("dense targets must hold n*k = " + size + " values, got " + dense.length);
        }
    }

    /** Checks that label {@code targets[i]} is a class index below {@code classes}. */
    static int label(int[] targets, int i, int classes) {
        int label = targets[i];
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("label " + label + " of sample " + i + " is not a class index in [0, "
                    + classes + ")");
        }
        return label;
    }
}
