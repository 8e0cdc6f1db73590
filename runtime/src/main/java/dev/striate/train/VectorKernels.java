package dev.striate.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Kernels} on {@code jdk.incubator.vector}; loaded only when the module is present. */
final class VectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);

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

    /** True when a plane of {@code plane} floats holds at least one whole vector. */
    static boolean wide(int plane) {
        return plane >= S.length();
    }

    /**
     * {@link Kernels#biasGrad}, and with {@code y} not null {@link Kernels#reluBiasGrad} (d z zeroed
     * where y is not positive, in place, before it is summed): per channel one vector of partial sums
     * over whole vectors of every sample's plane and one scalar sum of the planes' tails, then the
     * lanes added in order and the tail sum last.
     */
    static void biasGrad(float[] y, float[] dz, int n, int size, int channels, int plane, float[] dBias) {
        final int body = S.loopBound(plane);
        final int lanes = S.length();
        final float[] lane = new float[lanes];
        for (int c = 0; c < channels; c++) {
            FloatVector acc = FloatVector.zero(S);
            float tail = 0f;
            for (int s = 0; s < n; s++) {
                int o = s * size + c * plane;
                int i = 0;
                if (y == null) {
                    for (; i < body; i += lanes) {
                        acc = acc.add(FloatVector.fromArray(S, dz, o + i));
                    }
                    for (; i < plane; i++) {
                        tail += dz[o + i];
                    }
                } else {
                    for (; i < body; i += lanes) {
                        VectorMask<Float> on = FloatVector.fromArray(S, y, o + i).compare(VectorOperators.GT, 0f);
                        FloatVector d = FloatVector.zero(S).blend(FloatVector.fromArray(S, dz, o + i), on);
                        d.intoArray(dz, o + i);
                        acc = acc.add(d);
                    }
                    for (; i < plane; i++) {
                        float d = y[o + i] > 0f ? dz[o + i] : 0f;
                        dz[o + i] = d;
                        tail += d;
                    }
                }
            }
            acc.intoArray(lane, 0);
            float sum = 0f;
            for (int l = 0; l < lanes; l++) {
                sum += lane[l];
            }
            dBias[c] += sum + tail;
        }
    }

    /**
     * The whole vectors of windows of {@link Kernels#maxPool} for one sample, from window 0; returns
     * the first window left to the plain loop. Each vector gathers one cell of {@code S.length()}
     * windows ({@code cells} holds each window's first cell, relative to {@code xo}).
     */
    static int maxPool(float[] x, int xo, float[] y, int[] arg, int yo, int[] cells, int count, int[] taps) {
        final int body = S.loopBound(count);
        final int last = taps.length - 1;
        for (int o = 0; o < body; o += S.length()) {
            FloatVector best = FloatVector.fromArray(S, x, xo + taps[0], cells, o);
            for (int t = 1; t <= last; t++) {
                best = best.max(FloatVector.fromArray(S, x, xo + taps[t], cells, o));
            }
            IntVector base = IntVector.fromArray(I, cells, o).add(xo);
            IntVector at = base.add(taps[last]);
            for (int t = last - 1; t >= 0; t--) {
                VectorMask<Float> eq = FloatVector.fromArray(S, x, xo + taps[t], cells, o).compare(VectorOperators.EQ, best);
                at = at.blend(base.add(taps[t]), eq.cast(I));
            }
            best.intoArray(y, yo + o);
            at.intoArray(arg, yo + o);
        }
        return body;
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
