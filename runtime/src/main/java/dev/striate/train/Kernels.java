package dev.striate.train;

/**
 * Element-wise loops of generated trainers that HotSpot's C2 (JDK 17) does not vectorize by
 * itself (a conditional per element): on the Vector API when {@link Gemm#KERNEL} is
 * {@code "vector"}, plain loops otherwise, with identical results; and {@link #tanh}.
 */
public final class Kernels {
    private static final boolean VECTOR = Gemm.KERNEL.equals("vector");

    private Kernels() {
    }

    /** {@code x[i] = max(x[i], 0)} for {@code from <= i < to}. */
    public static void relu(float[] x, int from, int to) {
        if (VECTOR) {
            VectorKernels.relu(x, from, to);
            return;
        }
        for (int i = from; i < to; i++) {
            x[i] = Math.max(x[i], 0f);
        }
    }

    /** {@code dy[i] = y[i] > 0 ? dy[i] : 0} for {@code from <= i < to}: the gradient through a ReLU from its output. */
    public static void reluGrad(float[] y, float[] dy, int from, int to) {
        if (VECTOR) {
            VectorKernels.reluGrad(y, dy, from, to);
            return;
        }
        for (int i = from; i < to; i++) {
            dy[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }

    /** {@code dst[dstOff + i] += src[srcOff + i]} for {@code 0 <= i < length} (distinct arrays or non-overlapping ranges). */
    public static void addInto(float[] src, int srcOff, float[] dst, int dstOff, int length) {
        if (VECTOR) {
            VectorKernels.addInto(src, srcOff, dst, dstOff, length);
            return;
        }
        for (int i = 0; i < length; i++) {
            dst[dstOff + i] += src[srcOff + i];
        }
    }

    /**
     * {@code x[i] = tanh(x[i])} for {@code from <= i < to}, as {@code 1 - 2 / (e^(2|x|) + 1)} in
     * double with {@link StrictMath#exp} (within 1e-7 of {@link Math#tanh}, about twice as fast).
     * The same on both kernels and at every JIT tier: the Vector API's {@code TANH} is faster but
     * rounds differently in interpreted and compiled code, which made seeded runs depend on timing.
     */
    public static void tanh(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            float v = x[i];
            double t = 1.0 - 2.0 / (StrictMath.exp(2.0 * Math.abs(v)) + 1.0);
            x[i] = (float) Math.copySign(t, v);
        }
    }
}
