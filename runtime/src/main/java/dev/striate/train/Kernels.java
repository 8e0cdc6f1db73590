package dev.striate.train;

/**
 * Element-wise loops of generated trainers that HotSpot's C2 (JDK 17) does not vectorize by
 * itself (a conditional per element): on the Vector API when {@link VectorModule#KERNEL} is
 * {@code "vector"}, plain loops otherwise, with identical results; and {@link #tanh(float)}.
 */
public final class Kernels {
    private static final boolean VECTOR = VectorModule.KERNEL.equals("vector");

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
     * {@code x[i] = tanh(x[i])} for {@code from <= i < to}, with {@link #tanh(float)}.
     * The same on both kernels and at every JIT tier: the Vector API's {@code TANH} is faster but
     * rounds differently in interpreted and compiled code, which made seeded runs depend on timing.
     */
    public static void tanh(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] = tanh(x[i]);
        }
    }

    /**
     * The one tanh formula of Striate: {@code tanh(v)} in double from {@link Math#exp} (a C2
     * intrinsic, unlike {@link Math#tanh} on JDK 17, which is a native call and about twice as
     * slow), with a short series near zero where {@code (e - 1) / (e + 1)} would cancel. Within one
     * ulp of {@code (float) Math.tanh(v)} (equal for all but about one input in 20 million); NaN,
     * signed zeros and infinities as {@code Math.tanh}. Generated inference classes depend on
     * nothing, so they carry this formula as their {@code tanhExp} helper
     * ({@code dev.striate.backend.layers.TanhHelper}); {@code TanhHelperTest} checks both give the
     * same bits, so a trained model's tanh layers compute in training what they compute shipped.
     */
    public static float tanh(float v) {
        double d = v;
        if (Math.abs(d) < 1e-4) {
            return (float) (d * (1 - d * d / 3));
        }
        double e = Math.exp(2 * Math.min(20.0, Math.max(-20.0, d)));
        return (float) ((e - 1) / (e + 1));
    }
}
