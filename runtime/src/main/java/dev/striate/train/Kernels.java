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

    /**
     * A dense layer over {@code n} samples: {@code z[s][j] += sum_i x[s][i] w[i][j]} with {@code x [n][in]},
     * {@code w [in][units]} (PyTorch's weights transposed) and {@code z [n][units]} from offset 0, each sum in the
     * order of the class's dense layer: four inputs at a time as {@code z + x0 * w0 + x1 * w1 + x2 * w2 + x3 * w3}
     * (every product and sum rounded, left to right, no fused multiply-add), the last {@code in % 4} one at a
     * time, so that the outputs are the bits of the class's per-image code. The trainer's forward pass of dense
     * layers; the vector kernel computes the same expression lane by lane.
     */
    public static void dense(float[] x, int n, int in, float[] w, int units, float[] z) {
        if (VECTOR) {
            VectorKernels.dense(x, n, in, w, units, z);
        } else {
            densePlain(x, n, in, w, units, z);
        }
    }

    /** {@link #dense} without the Vector API. */
    static void densePlain(float[] x, int n, int in, float[] w, int units, float[] z) {
        int quads = in / 4 * 4;
        for (int i = 0; i < quads; i += 4) {
            int w0 = i * units;
            for (int s = 0; s < n; s++) {
                int xo = s * in + i;
                int zo = s * units;
                denseQuad(x[xo], x[xo + 1], x[xo + 2], x[xo + 3], w, w0, units, z, zo, 0);
            }
        }
        denseRest(x, n, in, quads, w, units, z);
    }

    /** Columns {@code from..units} of one sample and four inputs of {@link #dense}. */
    static void denseQuad(float x0, float x1, float x2, float x3, float[] w, int w0, int units, float[] z, int zo,
                          int from) {
        int w1 = w0 + units;
        int w2 = w1 + units;
        int w3 = w2 + units;
        for (int j = from; j < units; j++) {
            z[zo + j] = z[zo + j] + x0 * w[w0 + j] + x1 * w[w1 + j] + x2 * w[w2 + j] + x3 * w[w3 + j];
        }
    }

    /** The inputs past the last four of {@link #dense}, one at a time. */
    static void denseRest(float[] x, int n, int in, int from, float[] w, int units, float[] z) {
        for (int i = from; i < in; i++) {
            int wi = i * units;
            for (int s = 0; s < n; s++) {
                float xi = x[s * in + i];
                int zo = s * units;
                for (int j = 0; j < units; j++) {
                    z[zo + j] += xi * w[wi + j];
                }
            }
        }
    }

    /**
     * A max pool of 2x2 windows with stride 2 and no padding over one sample: {@code channels} planes
     * of {@code height x width} floats at {@code in[xo]} (CHW), their {@code (height / 2) x (width / 2)}
     * maxima at {@code out[yo]} and, at {@code arg[yo]}, the index in {@code in} of each window's
     * first cell in row order equal to its maximum, or of its last NaN when the maximum is NaN (as
     * PyTorch). The training form of such a pool in generated trainers (the class's unrolled loop,
     * here with the sizes as arguments); the vector kernel computes a row's windows eight or more at
     * a time from its even and odd columns and gives the same bits (windows with a NaN take this loop).
     */
    public static void maxPool2x2(float[] in, float[] out, int[] arg, int xo, int yo, int channels, int height, int width) {
        if (VECTOR) {
            VectorKernels.maxPool2x2(in, out, arg, xo, yo, channels, height, width);
        } else {
            maxPool2x2Plain(in, out, arg, xo, yo, channels, height, width);
        }
    }

    /** {@link #maxPool2x2} without the Vector API. */
    static void maxPool2x2Plain(float[] in, float[] out, int[] arg, int xo, int yo, int channels, int height, int width) {
        int oh = height / 2;
        int ow = width / 2;
        for (int c = 0; c < channels; c++) {
            for (int oy = 0; oy < oh; oy++) {
                int r = xo + c * height * width + oy * 2 * width;
                int o = yo + (c * oh + oy) * ow;
                for (int ox = 0; ox < ow; ox++) {
                    maxPoolWindow(in, out, arg, r + 2 * ox, o + ox, width);
                }
            }
        }
    }

    /**
     * The backward pass of {@link #maxPool2x2} over {@code n} samples when the pool alone reads its
     * input and that input is a ReLU's output: writes the whole input gradient {@code dx} (no need to
     * clear it first), each window's four cells zero but its argmax, which gets {@code 0f + dy} where
     * the pool's output {@code y} is positive (the ReLU's mask), else zero; cells of an odd last row
     * or column, in no window, get zero. The bits of clearing {@code dx} and then adding the masked
     * {@code dy} at each argmax, as the generated loop did. Plane by plane: the plane cleared, then,
     * while it is in the cache, each argmax written. No vector kernel: one that wrote each input row's
     * cells a vector at a time (selected by comparing the argmax with the cells' indices) took 0.23 ms
     * per 32 samples on the Keras MNIST CNN's first pool with 16 lanes and 0.33 ms with 8, this loop
     * 0.16 ms on both.
     */
    public static void maxPool2x2Backward(float[] dy, float[] y, int[] arg, float[] dx, int n, int channels, int height, int width) {
        final int windows = (height / 2) * (width / 2);
        final int plane = height * width;
        for (int p = 0; p < n * channels; p++) {
            java.util.Arrays.fill(dx, p * plane, (p + 1) * plane, 0f);
            for (int o = p * windows, e = o + windows; o < e; o++) {
                dx[arg[o]] = 0f + Float.intBitsToFloat(Float.floatToRawIntBits(dy[o]) & (y[o] > 0f ? -1 : 0));
            }
        }
    }

    /** One window of {@link #maxPool2x2}: the 2x2 cells from {@code in[i]}, rows {@code width} apart, to {@code out[o]} and {@code arg[o]}. */
    static void maxPoolWindow(float[] in, float[] out, int[] arg, int i, int o, int width) {
        float acc = in[i];
        acc = Math.max(acc, in[i + 1]);
        acc = Math.max(acc, in[i + width]);
        acc = Math.max(acc, in[i + width + 1]);
        int at = i + width + 1;
        at = in[i + width] == acc ? i + width : at;
        at = in[i + 1] == acc ? i + 1 : at;
        at = in[i] == acc ? i : at;
        if (acc != acc) {
            at = i;
            at = in[i + 1] != in[i + 1] ? i + 1 : at;
            at = in[i + width] != in[i + width] ? i + width : at;
            at = in[i + width + 1] != in[i + width + 1] ? i + width + 1 : at;
        }
        arg[o] = at;
        out[o] = acc;
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
