package dev.striate.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** {@link Kernels} on {@code jdk.incubator.vector}; loaded only when the module is present. */
final class VectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lane {@code l} from lane {@code 2l} (wrapped): a vector's even lanes in its first half. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, l -> 2 * l % S.length());
    /** Lane {@code l} from lane {@code 2l + 1} (wrapped): the odd lanes in the first half. */
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, l -> (2 * l + 1) % S.length());
    /** The lanes of a vector's second half. */
    private static final VectorMask<Float> SECOND_HALF = VectorMask.fromLong(S, -1L << (S.length() / 2));
    /** {@code 2l} in lane {@code l}. */
    private static final IntVector TWICE = IntVector.zero(S.withLanes(int.class)).addIndex(2);

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

    static void dense(float[] x, int n, int in, float[] w, int units, float[] z) {
        int quads = in / 4 * 4;
        int whole = S.loopBound(units);
        for (int i = 0; i < quads; i += 4) {
            int w0 = i * units;
            int w1 = w0 + units;
            int w2 = w1 + units;
            int w3 = w2 + units;
            for (int s = 0; s < n; s++) {
                int xo = s * in + i;
                float x0 = x[xo];
                float x1 = x[xo + 1];
                float x2 = x[xo + 2];
                float x3 = x[xo + 3];
                int zo = s * units;
                for (int j = 0; j < whole; j += S.length()) {
                    FloatVector acc = FloatVector.fromArray(S, z, zo + j)
                            .add(FloatVector.fromArray(S, w, w0 + j).mul(x0))
                            .add(FloatVector.fromArray(S, w, w1 + j).mul(x1))
                            .add(FloatVector.fromArray(S, w, w2 + j).mul(x2))
                            .add(FloatVector.fromArray(S, w, w3 + j).mul(x3));
                    acc.intoArray(z, zo + j);
                }
                Kernels.denseQuad(x0, x1, x2, x3, w, w0, units, z, zo, whole);
            }
        }
        Kernels.denseRest(x, n, in, quads, w, units, z);
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

    /** True when a plane of {@code plane} floats holds at least one whole vector. */
    static boolean wide(int plane) {
        return plane >= S.length();
    }

    /**
     * {@link Kernels#biasGrad}, and with {@code y} not null {@link Kernels#reluBiasGrad} (d z zeroed
     * where y is not positive, in place, before it is summed): per channel one vector of partial sums
     * over whole vectors of every sample's plane and one scalar sum of the planes' tails, then the
     * lanes added in order and the tail sum last.
     *
     * <p>The partial sums live in {@code lane} between planes: each plane's loop ({@link #sumPlane},
     * {@link #reluSumPlane}) loads them, adds its vectors and stores them. A vector carried through
     * two nested loops (samples, then the plane) is boxed by JDK 17's C2 on every addition (96 bytes
     * a vector, 4 MB per call on the first layer of the Keras MNIST CNN), and in about one JVM run in
     * three the addition then ran in the Vector API's Java fallback: 18 ms a call instead of 0.3 ms.
     * The store and load are exact, so the sums are those of one vector carried through.
     */
    static void biasGrad(float[] y, float[] dz, int n, int size, int channels, int plane, float[] dBias) {
        final int body = S.loopBound(plane);
        final int lanes = S.length();
        final float[] lane = new float[lanes];
        for (int c = 0; c < channels; c++) {
            java.util.Arrays.fill(lane, 0f);
            float tail = 0f;
            for (int s = 0; s < n; s++) {
                int o = s * size + c * plane;
                if (y == null) {
                    sumPlane(dz, o, body, lane);
                    for (int i = body; i < plane; i++) {
                        tail += dz[o + i];
                    }
                } else {
                    reluSumPlane(y, dz, o, body, lane);
                    for (int i = body; i < plane; i++) {
                        float d = y[o + i] > 0f ? dz[o + i] : 0f;
                        dz[o + i] = d;
                        tail += d;
                    }
                }
            }
            float sum = 0f;
            for (int l = 0; l < lanes; l++) {
                sum += lane[l];
            }
            dBias[c] += sum + tail;
        }
    }

    /** {@code lane += } the whole vectors {@code dz[o .. o + body)}, one after the other. */
    private static void sumPlane(float[] dz, int o, int body, float[] lane) {
        FloatVector acc = FloatVector.fromArray(S, lane, 0);
        for (int i = 0; i < body; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, dz, o + i));
        }
        acc.intoArray(lane, 0);
    }

    /** {@link #sumPlane} of d z zeroed (in place) where y is not positive. */
    private static void reluSumPlane(float[] y, float[] dz, int o, int body, float[] lane) {
        final FloatVector zero = FloatVector.zero(S);
        FloatVector acc = FloatVector.fromArray(S, lane, 0);
        for (int i = 0; i < body; i += S.length()) {
            VectorMask<Float> on = FloatVector.fromArray(S, y, o + i).compare(VectorOperators.GT, 0f);
            FloatVector d = zero.blend(FloatVector.fromArray(S, dz, o + i), on);
            d.intoArray(dz, o + i);
            acc = acc.add(d);
        }
        acc.intoArray(lane, 0);
    }

    /**
     * {@link Kernels#maxPool2x2}: per output row, steps of a whole vector of windows, the last half vector or less
     * of a row in a step of half a vector. A step loads one vector from each of the windows' two input rows, takes
     * its even and odd lanes (the windows' left and right cells) into the first half, and for a whole step the next
     * vector's into the second half; then it computes the maxima and argmax as the scalar window does, lane by lane
     * (the same {@code Math.max} and {@code ==}): the same bits. It stores whole vectors: lanes past the row's
     * windows land on outputs after them, which later steps of the call overwrite, so a step runs only where its
     * loads stay in {@code in} and its stores in this sample's outputs; the others, and any step with a NaN maximum,
     * take {@link Kernels#maxPoolWindow} window by window. The Keras MNIST CNN's first pool (rows of 13 windows)
     * takes one whole step per row with 16 lanes: 0.18 ms per 32 samples against 0.45 for the scalar loop (one thread).
     */
    static void maxPool2x2(float[] in, float[] out, int[] arg, int xo, int yo, int channels, int height, int width) {
        final int lanes = S.length();
        final int half = lanes / 2;
        final int oh = height / 2;
        final int ow = width / 2;
        final int end = yo + channels * oh * ow;
        for (int c = 0; c < channels; c++) {
            for (int oy = 0; oy < oh; oy++) {
                int r = xo + c * height * width + oy * 2 * width;
                int o = yo + (c * oh + oy) * ow;
                int ox = 0;
                while (ox < ow && o + ox + lanes <= end) {
                    // a whole vector of windows from two vectors per input row, or half of one from one vector
                    int step = ow - ox > half ? lanes : half;
                    if (r + 2 * ox + width + 2 * step > in.length) {
                        break;
                    }
                    if (!pairs(in, out, arg, r + 2 * ox, o + ox, width, step == lanes)) {
                        for (int x = ox, to = Math.min(ow, ox + step); x < to; x++) {
                            Kernels.maxPoolWindow(in, out, arg, r + 2 * x, o + x, width);
                        }
                    }
                    ox += step;
                }
                for (; ox < ow; ox++) {
                    Kernels.maxPoolWindow(in, out, arg, r + 2 * ox, o + ox, width);
                }
            }
        }
    }

    /**
     * One step of {@link #maxPool2x2} at input {@code i}, output {@code o}: a whole vector of windows ({@code whole}: the
     * second half's from the next vector of each input row, the same shuffles, blended in) or half of one; false,
     * storing nothing, when a maximum is NaN.
     */
    private static boolean pairs(float[] in, float[] out, int[] arg, int i, int o, int width, boolean whole) {
        FloatVector top = FloatVector.fromArray(S, in, i);
        FloatVector bottom = FloatVector.fromArray(S, in, i + width);
        FloatVector a = top.rearrange(EVEN);
        FloatVector b = top.rearrange(ODD);
        FloatVector c = bottom.rearrange(EVEN);
        FloatVector d = bottom.rearrange(ODD);
        if (whole) {
            FloatVector top2 = FloatVector.fromArray(S, in, i + S.length());
            FloatVector bottom2 = FloatVector.fromArray(S, in, i + width + S.length());
            a = a.blend(top2.rearrange(EVEN), SECOND_HALF);
            b = b.blend(top2.rearrange(ODD), SECOND_HALF);
            c = c.blend(bottom2.rearrange(EVEN), SECOND_HALF);
            d = d.blend(bottom2.rearrange(ODD), SECOND_HALF);
        }
        FloatVector acc = a.max(b).max(c).max(d);
        if (acc.compare(VectorOperators.NE, acc).anyTrue()) {
            return false;
        }
        // the indices as float bits, so that the float comparisons' masks select them
        IntVector cell = TWICE.add(i);
        FloatVector at = cell.add(width + 1).reinterpretAsFloats();
        at = at.blend(cell.add(width).reinterpretAsFloats(), c.eq(acc));
        at = at.blend(cell.add(1).reinterpretAsFloats(), b.eq(acc));
        at = at.blend(cell.reinterpretAsFloats(), a.eq(acc));
        acc.intoArray(out, o);
        at.reinterpretAsInts().intoArray(arg, o);
        return true;
    }

    /**
     * Calls of each kernel in {@link #warmUp}: past HotSpot's default thresholds for a C2 compile
     * (5,000 calls, or 600 calls whose calls plus loop iterations pass 15,000).
     */
    static final int WARM_CALLS = 6_000;

    /**
     * Runs every kernel of this class {@link #WARM_CALLS} times on arrays of its own (64 whole
     * vectors and a tail), so that C2 compiles them now rather than after hundreds of training
     * steps. Until then a kernel runs in the interpreter or in C1, where every vector operation is
     * the Vector API's Java fallback, boxing its vectors: a kernel called only a few times per step
     * (the ReLU gradient of a dense layer, whose one-position planes take the plain bias sum) stayed
     * there for 130-300 steps, allocating ~60 KB per call. Lane-wise operations give the same bits
     * at every tier, so this changes no result; it takes tens of milliseconds. With 4 vectors a
     * call, KernelsWarmUpTest's 1,024-float ReLU gradient kept allocating for 8-10 s after the
     * warm-up (it failed its 10 s limit in 2 of 5 runs, once in CI); with 64 it stopped at once
     * (0.6-0.7 s for the whole test, 5 of 5 runs).
     */
    static void warmUp() {
        final int len = 64 * S.length() + 3;
        float[] y = new float[Math.max(2 * len, 128)];
        float[] dz = new float[2 * len];
        float[] sum = new float[2];
        float[] pooled = new float[len / 4 + S.length()];
        int[] arg = new int[pooled.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (i % 3) - 1f;
        }
        for (int call = 0; call < WARM_CALLS; call++) {
            System.arraycopy(y, 0, dz, 0, dz.length);
            relu(dz, 0, len);
            reluGrad(y, dz, 0, len);
            addInto(y, 0, dz, len, len);
            biasGrad(null, dz, 2, len, 1, len, sum);
            biasGrad(y, dz, 2, len, 1, len, sum);
            maxPool2x2(y, pooled, arg, 0, 0, 1, 2, len / 2);
            dense(y, 2, 5, y, 4 * S.length() + 3, dz);
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
