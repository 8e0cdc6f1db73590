package dev.striate.train;

/**
 * Element-wise loops of generated trainers that HotSpot's C2 (JDK 17) does not vectorize by
 * itself (a conditional per element): on the Vector API when {@link VectorModule#KERNEL} is
 * {@code "vector"}, plain loops otherwise, with identical results; and {@link #tanh(float)}.
 */
public final class Kernels {
    private static final boolean VECTOR = VectorModule.KERNEL.equals("vector");
    private static final java.util.concurrent.atomic.AtomicBoolean WARM = new java.util.concurrent.atomic.AtomicBoolean();

    private Kernels() {
    }

    /**
     * Has C2 compile the vector kernels before training starts (once per JVM, on the vector kernel;
     * nothing on the plain one): see {@code VectorKernels.warmUp} and {@link Winograd}'s. The training loop's
     * {@link WorkerPool} calls it; results do not depend on it.
     */
    public static void warmUp() {
        if (VECTOR && WARM.compareAndSet(false, true)) {
            VectorKernels.warmUp();
            Winograd.warmUp();
        }
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

    /**
     * {@code dBias[c] += } the sum of {@code dz[s * size + c * plane + i]} over samples {@code s < n}
     * and positions {@code i < plane}, for every channel {@code c < channels}: a bias gradient. The
     * vector kernel sums planes of at least one vector in per-lane partial sums (added up in lane
     * order at the end), the plain one in four partial sums; both in a fixed order.
     */
    public static void biasGrad(float[] dz, int n, int size, int channels, int plane, float[] dBias) {
        if (VECTOR && VectorKernels.wide(plane)) {
            VectorKernels.biasGrad(null, dz, n, size, channels, plane, dBias);
            return;
        }
        sums(dz, n, size, channels, plane, dBias);
    }

    /**
     * {@link #reluGrad} over the {@code n} samples of {@code size} floats, then {@link #biasGrad}, in
     * one pass over the gradient.
     */
    public static void reluBiasGrad(float[] y, float[] dz, int n, int size, int channels, int plane, float[] dBias) {
        if (VECTOR && VectorKernels.wide(plane)) {
            VectorKernels.biasGrad(y, dz, n, size, channels, plane, dBias);
            return;
        }
        reluGrad(y, dz, 0, n * size);
        sums(dz, n, size, channels, plane, dBias);
    }

    private static void sums(float[] dz, int n, int size, int channels, int plane, float[] dBias) {
        for (int c = 0; c < channels; c++) {
            float acc0 = 0f;
            float acc1 = 0f;
            float acc2 = 0f;
            float acc3 = 0f;
            for (int s = 0; s < n; s++) {
                int o = s * size + c * plane;
                int i = 0;
                for (; i + 3 < plane; i += 4) {
                    acc0 += dz[o + i];
                    acc1 += dz[o + i + 1];
                    acc2 += dz[o + i + 2];
                    acc3 += dz[o + i + 3];
                }
                for (; i < plane; i++) {
                    acc0 += dz[o + i];
                }
            }
            dBias[c] += (acc0 + acc1) + (acc2 + acc3);
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
