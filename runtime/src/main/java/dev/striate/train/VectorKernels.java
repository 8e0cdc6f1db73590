package dev.striate.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Kernels} on {@code jdk.incubator.vector}; loaded only when the module is present. */
final class VectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorKernels() {
    }

    static void relu(float[] x, int from, int to) {
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
            FloatVector.fromArray(S, x, i).max(0f).intoArray(x, i);
        }
        for (; i < to; i++) {
            x[i] = Math.max(x[i], 0f);
        }
    }

    static void reluGrad(float[] y, float[] dy, int from, int to) {
        FloatVector zero = FloatVector.zero(S);
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
            VectorMask<Float> on = FloatVector.fromArray(S, y, i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, dy, i), on).intoArray(dy, i);
        }
        for (; i < to; i++) {
            dy[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }

    static void addInto(float[] src, int srcOff, float[] dst, int dstOff, int length) {
        int i = 0;
        for (int end = S.loopBound(length); i < end; i += S.length()) {
            FloatVector.fromArray(S, dst, dstOff + i).add(FloatVector.fromArray(S, src, srcOff + i)).intoArray(dst, dstOff + i);
        }
        for (; i < length; i++) {
            dst[dstOff + i] += src[srcOff + i];
        }
    }
}
