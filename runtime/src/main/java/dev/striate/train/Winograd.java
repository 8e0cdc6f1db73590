package dev.striate.train;

import static dev.striate.train.WinogradTransforms.apart;
import static dev.striate.train.WinogradTransforms.inputBuffers;
import static dev.striate.train.WinogradTransforms.stride;
import static dev.striate.train.WinogradTransforms.transformGradient;
import static dev.striate.train.WinogradTransforms.transformInput;
import static dev.striate.train.WinogradTransforms.transformOutput;
import static dev.striate.train.WinogradTransforms.transformWeights;
import static dev.striate.train.WinogradTransforms.uStep;

/**
 * Winograd F(2x2,3x3) for generated trainers: a 3x3, stride-1 convolution over a batch of CHW samples
 * as 16 matrix products on {@link Gemm} instead of one product over unfolded windows, 2.25x fewer
 * multiplies. The same math as the shipped classes' Winograd layers (docs/vector.md "Winograd
 * F(2x2,3x3)"): each 4x4 input patch {@code d} (stride 2) becomes {@code V = B^T d B}, each filter
 * {@code g} becomes {@code U = G g G^T}, per transformed position {@code xi} (16) one product
 * {@code M[xi] = U[xi] V[xi]} sums over the input channels, and {@code Y = A^T M A} is the 2x2 output tile.
 *
 * <p>It runs the forward pass ({@link #forward}: weights {@code [F][C][3][3]}, plus the bias) and the
 * input gradient ({@link #inputGradient}: the same convolution of d z with the filters turned by 180
 * degrees and their channels swapped, on the padding that is left, {@code 2 - pad}, added to d input).
 * Samples are taken {@link #COLUMNS} tiles at a time (a sample's tiles are never split), so a sample's
 * result does not depend on which others share its product: every column of a product sums over the
 * channels in the same order. Everything is in a fixed order, so a run is reproducible bit for bit
 * on the same kernel; not bit-identical to the unfolded product (other sums, within float rounding of
 * it). Buffers live in the worker's {@code Gemm}, grown to the largest layer: no allocation in steady state.
 * The tile transforms and the buffers' strides are in {@link WinogradTransforms}.
 */
public final class Winograd {
    /** Tiles (product columns) per pass: whole samples, at least one. */
    static final int COLUMNS = 128;

    /**
     * Bytes of V and M (16 matrices each) that one pass of {@link #convolve} may fill: with more, the 16 products
     * and the output transform find less of them in the caches (measured, see {@link #passSamples}).
     */
    static final int PASS_BYTES = 2 * 1024 * 1024;

    /**
     * Fewest input and output channels a trainer layer runs here: below it the transforms (per tile and
     * channel, not per channel pair) cost more than the 2.25x fewer multiplies save (measured, docs/training.md:
     * 64 until the transforms ran on vectors, 32 since; at 16 the product's depth is a single vector).
     */
    public static final int MIN_CHANNELS = 32;

    /** Fewest 2x2 output tiles: smaller maps (the Keras MNIST CNN's 3x3 output) stay on the unfolded product. */
    public static final int MIN_TILES = 16;

    /** At most this many floats in one of the buffers (V, M: 16 x channels x tiles of a pass; U). */
    static final long MAX_BUFFER_FLOATS = 1L << 24;

    /** Calls of each pass in {@link #warmUp}. */
    static final int WARM_CALLS = 2_000;

    private Winograd() {
    }

    /**
     * Runs the three passes {@link #WARM_CALLS} times on a small layer (32 -> 32 channels, a 4x4 map) on the
     * vector kernel, so that C2 compiles the product's micro-kernel and the vector transforms from many short
     * calls before training starts. Without it, the first training steps made the micro-kernel hot inside
     * long loops, and one JVM in about twenty ran a Fashion CNN run at 64-84 images/s instead of ~650 (1,950
     * collections in 93 s: boxed vectors, with an interpreter-entry (OSR) C1 compile of the micro-kernel
     * as the only difference in the JIT log). Called by {@link Kernels#warmUp}.
     */
    static void warmUp() {
        Gemm gemm = new Gemm(true);
        int c = 32;
        int h = 4;
        float[] x = new float[c * h * h];
        float[] y = new float[c * h * h];
        float[] gx = new float[c * h * h];
        float[] wt = new float[c * c * 9];
        float[] dw = new float[c * c * 9];
        for (int i = 0; i < wt.length; i++) {
            wt[i] = (i % 7 - 3) * 1e-3f;
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 5 - 2) * 0.25f;
        }
        for (int call = 0; call < WARM_CALLS; call++) {
            forward(gemm, wt, null, x, y, 1, c, h, h, c, h, h, 1, 1);
            java.util.Arrays.fill(gx, 0f);
            inputGradient(gemm, wt, y, gx, 1, c, h, h, c, h, h, 1, 1);
            java.util.Arrays.fill(dw, 0f);
            weightGradient(gemm, x, y, dw, 1, c, h, h, c, h, h, 1, 1);
        }
    }

    /**
     * True when a generated trainer computes this convolution here (decided when the trainer is
     * generated): one {@link #supports} with at least {@link #MIN_CHANNELS} input and output channels, at
     * least {@link #MIN_TILES} output tiles and buffers within {@link #MAX_BUFFER_FLOATS}, unless the JVM property {@code striate.winograd} is
     * {@code false} (then the unfolded product runs, as for every other convolution).
     */
    public static boolean chosen(int kh, int kw, int sh, int sw, int dh, int dw, int groups, int c, int h, int w, int f,
                                 int oh, int ow, int padTop, int padLeft) {
        if (!supports(kh, kw, sh, sw, dh, dw, groups, h, w, oh, ow, padTop, padLeft) || c < MIN_CHANNELS
                || f < MIN_CHANNELS || "false".equals(System.getProperty("striate.winograd"))) {
            return false;
        }
        // all in long: the shapes come from the model file (no int sum may wrap, even where a later bound would catch it)
        long outTiles = ((oh + 1L) / 2) * ((ow + 1L) / 2);
        if (outTiles < MIN_TILES) {
            return false;
        }
        long tiles = Math.max(outTiles, ((h + 1L) / 2) * ((w + 1L) / 2));
        long cols = Math.max(tiles, COLUMNS) + 32;
        long wide = Math.max(c, f);
        return cols <= MAX_BUFFER_FLOATS && wide <= MAX_BUFFER_FLOATS && 16 * wide * cols <= MAX_BUFFER_FLOATS
                && 16 * (c + 32L) * (f + 32L) <= MAX_BUFFER_FLOATS;
    }

    /**
     * True for a convolution this class computes: 3x3, stride 1, no dilation, one group, every padding
     * 0 or 1 ({@code oh = h + padTop + padBottom - 2}).
     */
    public static boolean supports(int kh, int kw, int sh, int sw, int dh, int dw, int groups, int h, int w, int oh,
                                   int ow, int padTop, int padLeft) {
        int padBottom = oh + 2 - h - padTop;
        int padRight = ow + 2 - w - padLeft;
        return kh == 3 && kw == 3 && sh == 1 && sw == 1 && dh == 1 && dw == 1 && groups == 1 && padTop >= 0 && padTop <= 1
                && padLeft >= 0 && padLeft <= 1 && padBottom >= 0 && padBottom <= 1 && padRight >= 0 && padRight <= 1;
    }

    /**
     * {@code y = conv(x, w) + bias} for {@code n} samples: {@code x [n][c][h][w]}, weights {@code [f][c][3][3]}
     * (bias {@code [f]} or null), {@code y [n][f][oh][ow]} overwritten.
     */
    public static void forward(Gemm gemm, float[] wt, float[] bias, float[] x, float[] y, int n, int c, int h, int w,
                               int f, int oh, int ow, int padTop, int padLeft) {
        transformWeights(gemm, wt, f, c, false);
        convolve(gemm, x, y, n, c, h, w, f, oh, ow, padTop, padLeft, bias, false);
    }

    /**
     * {@code gx += d input} of the convolution {@link #forward} computes, from {@code dz [n][f][oh][ow]}:
     * {@code gx [n][c][h][w]}.
     */
    public static void inputGradient(Gemm gemm, float[] wt, float[] dz, float[] gx, int n, int c, int h, int w, int f,
                                     int oh, int ow, int padTop, int padLeft) {
        transformWeights(gemm, wt, f, c, true);
        convolve(gemm, dz, gx, n, f, oh, ow, c, h, w, 2 - padTop, 2 - padLeft, null, true);
    }

    /**
     * {@code dw += d weights} of the convolution {@link #forward} computes, summed over the {@code n}
     * samples of {@code x [n][c][h][w]} and {@code dz [n][f][oh][ow]}: the gradient of the Winograd form, per
     * transformed position {@code dU[xi] = sum over tiles of dM[xi] V[xi]} with {@code dM = A dY A^T} of each
     * 2x2 tile of d z (the product over every pass's tiles; dM held transposed, a tile's channels contiguous, which
     * the vector kernel reads in place), then {@code dw[f][c] += G^T dU G} summed over the
     * positions: 2.25x fewer multiplies than the product over unfolded windows. The passes take whole samples
     * in order, as the forward pass does.
     */
    public static void weightGradient(Gemm gemm, float[] x, float[] dz, float[] dw, int n, int c, int h, int w, int f,
                                      int oh, int ow, int padTop, int padLeft) {
        int th = (oh + 1) / 2;
        int tw = (ow + 1) / 2;
        int tiles = th * tw;
        int per = Math.max(1, COLUMNS / tiles);
        int vRow = stride(c);
        int vStep = apart(Math.min(n, per) * tiles * vRow);
        int ld = stride(f);
        int mStep = apart(Math.min(n, per) * tiles * ld);
        int uRow = stride(c);
        int uStep = apart(f * uRow);
        inputBuffers(gemm, c, th, tw, vStep);
        gemm.winoM = Gemm.atLeast(gemm.winoM, 16 * mStep);
        gemm.winoU = Gemm.atLeast(gemm.winoU, 16 * uStep);
        final float[] du = gemm.winoU;
        final float[] v = gemm.winoV;
        final float[] m = gemm.winoM;
        int outSize = f * oh * ow;
        for (int s0 = 0; s0 < n; s0 += per) {
            int p = Math.min(per, n - s0);
            int len = p * tiles;
            for (int q = 0; q < p; q++) {
                transformInput(gemm, x, s0 + q, q * tiles, c, h, w, th, tw, padTop, padLeft, vRow, vStep);
                transformGradient(gemm, dz, (s0 + q) * outSize, f, oh, ow, th, tw, m, q * tiles, ld, mStep);
            }
            for (int xi = 0; xi < 16; xi++) {
                if (gemm.vector()) {
                    // dM^T in place: packing it would cost about what the vector gradient transform saves
                    gemm.setAInPlace(f, len, m, xi * mStep, 1, ld);
                    gemm.multiplyByA(c, v, xi * vStep, vRow, 1, du, xi * uStep, uRow, s0 > 0);
                } else {
                    gemm.multiply(f, c, len, m, xi * mStep, 1, ld, v, xi * vStep, vRow, 1, du, xi * uStep, uRow, s0 > 0);
                }
            }
        }
        addGradient(du, uRow, uStep, f, c, dw);
    }

    /**
     * {@code dw[o][i] += G^T dU G}, summed over the 16 positions ({@code du}'s rows {@code uRow}, matrices {@code uStep}
     * apart). A method of its own, as are the transforms: {@link #weightGradient} whole, with its callees inlined,
     * went past C2's node limit for one compile ({@code NodeCountInliningCutoff}), the state in which vector
     * operations inlined late can stay boxed (docs/training.md, "The slow JVM").
     */
    private static void addGradient(float[] du, int uRow, int uStep, int f, int c, float[] dw) {
        for (int o = 0; o < f; o++) {
            for (int i = 0; i < c; i++) {
                int e = o * uRow + i;
                float u00 = du[e];
                float u01 = du[uStep + e];
                float u02 = du[2 * uStep + e];
                float u03 = du[3 * uStep + e];
                float u10 = du[4 * uStep + e];
                float u11 = du[5 * uStep + e];
                float u12 = du[6 * uStep + e];
                float u13 = du[7 * uStep + e];
                float u20 = du[8 * uStep + e];
                float u21 = du[9 * uStep + e];
                float u22 = du[10 * uStep + e];
                float u23 = du[11 * uStep + e];
                float u30 = du[12 * uStep + e];
                float u31 = du[13 * uStep + e];
                float u32 = du[14 * uStep + e];
                float u33 = du[15 * uStep + e];
                // G^T dU: row 0 = dU0 + (dU1 + dU2) / 2, row 1 = (dU1 - dU2) / 2, row 2 = (dU1 + dU2) / 2 + dU3
                float a00 = u00 + 0.5f * (u10 + u20);
                float a01 = u01 + 0.5f * (u11 + u21);
                float a02 = u02 + 0.5f * (u12 + u22);
                float a03 = u03 + 0.5f * (u13 + u23);
                float a10 = 0.5f * (u10 - u20);
                float a11 = 0.5f * (u11 - u21);
                float a12 = 0.5f * (u12 - u22);
                float a13 = 0.5f * (u13 - u23);
                float a20 = 0.5f * (u10 + u20) + u30;
                float a21 = 0.5f * (u11 + u21) + u31;
                float a22 = 0.5f * (u12 + u22) + u32;
                float a23 = 0.5f * (u13 + u23) + u33;
                int at = (o * c + i) * 9;
                dw[at] += a00 + 0.5f * (a01 + a02);
                dw[at + 1] += 0.5f * (a01 - a02);
                dw[at + 2] += 0.5f * (a01 + a02) + a03;
                dw[at + 3] += a10 + 0.5f * (a11 + a12);
                dw[at + 4] += 0.5f * (a11 - a12);
                dw[at + 5] += 0.5f * (a11 + a12) + a13;
                dw[at + 6] += a20 + 0.5f * (a21 + a22);
                dw[at + 7] += 0.5f * (a21 - a22);
                dw[at + 8] += 0.5f * (a21 + a22) + a23;
            }
        }
    }
    /**
     * {@code y (+)= conv(x)} with the transformed weights in {@code gemm.winoU} ({@code [16][ci][co]}):
     * {@code x [n][ci][h][w]} read with {@code top}/{@code left} zero rows/columns before it, {@code y [n][co][oh][ow]},
     * plus {@code bias} when not null. Per pass: V of its samples' tiles, the 16 products
     * {@code M[xi] [tiles][co] = V[xi] [tiles][ci] U[xi] [ci][co]}, then each sample's {@code A^T M A} into an HWC
     * buffer, copied to its CHW planes.
     */
    private static void convolve(Gemm gemm, float[] x, float[] y, int n, int ci, int h, int w, int co, int oh, int ow,
                                 int top, int left, float[] bias, boolean accumulate) {
        int th = (oh + 1) / 2;
        int tw = (ow + 1) / 2;
        int tiles = th * tw;
        int per = passSamples(tiles, ci, co);
        int vRow = stride(ci);
        int vStep = apart(Math.min(n, per) * tiles * vRow);
        int uRow = stride(co);
        int uStep = uStep(gemm, ci, co);
        int mRow = uRow;
        int mStep = apart(Math.min(n, per) * tiles * mRow);
        int ow2 = 2 * tw;
        inputBuffers(gemm, ci, th, tw, vStep);
        gemm.winoM = Gemm.atLeast(gemm.winoM, 16 * mStep);
        gemm.winoOut = Gemm.atLeast(gemm.winoOut, 2 * th * ow2 * co);
        gemm.winoBias = Gemm.atLeast(gemm.winoBias, co);
        final float[] u = gemm.winoU;
        final float[] v = gemm.winoV;
        final float[] m = gemm.winoM;
        final float[] out = gemm.winoOut;
        final float[] b = bias != null ? bias : gemm.winoBias;
        if (bias == null) {
            java.util.Arrays.fill(b, 0, co, 0f);
        }
        int outSize = co * oh * ow;
        for (int s0 = 0; s0 < n; s0 += per) {
            int p = Math.min(per, n - s0);
            int len = p * tiles;
            for (int q = 0; q < p; q++) {
                transformInput(gemm, x, s0 + q, q * tiles, ci, h, w, th, tw, top, left, vRow, vStep);
            }
            for (int xi = 0; xi < 16; xi++) {
                if (gemm.vector()) {
                    VectorGemm.multiplyPrepacked(gemm, len, ci, co, v, xi * vStep, vRow, u, xi * uStep, m, xi * mStep, mRow,
                            false);
                } else {
                    gemm.setA(len, ci, v, xi * vStep, vRow, 1);
                    gemm.multiplyByA(co, u, xi * uStep, uRow, 1, m, xi * mStep, mRow, false);
                }
            }
            for (int q = 0; q < p; q++) {
                transformOutput(m, q * tiles, mRow, mStep, th, tw, co, b, out, gemm.vector());
                copyOut(out, ow2, co, y, (s0 + q) * outSize, oh, ow, accumulate);
            }
        }
    }

    /**
     * The HWC output buffer ({@code 2 tw = ow2} pixels a row) into, or added to, one sample's CHW planes at {@code y[ys..]}.
     * A method of its own, so that {@link #convolve}'s hot loops are not its own: whole, with its callees inlined, its
     * compiles at a loop (OSR) went past C2's node limit ({@code NodeCountInliningCutoff}), the state in which vector
     * operations inlined late can stay boxed (docs/training.md, "The slow JVM").
     *
     * <p>Plane by plane: the stores run along y, the loads jump by {@code co} through the small, cached buffer. Pixel by
     * pixel (the loads along, each store to another plane) every pixel's {@code co} stores went to as many lines of a
     * batch-sized y not yet in the cache; with two workers that copy was 10% of the Keras MNIST CNN's training step in
     * perf, 5% plane by plane, and the step 1.08-1.6x faster (6 alternating pairs on a noisy machine).
     */
    private static void copyOut(float[] out, int ow2, int co, float[] y, int ys, int oh, int ow, boolean accumulate) {
        int plane = oh * ow;
        for (int o = 0; o < co; o++) {
            int to = ys + o * plane;
            for (int oy = 0; oy < oh; oy++) {
                int from = oy * ow2 * co + o;
                if (accumulate) {
                    for (int ox = 0; ox < ow; ox++) {
                        y[to + ox] += out[from + ox * co];
                    }
                } else {
                    for (int ox = 0; ox < ow; ox++) {
                        y[to + ox] = out[from + ox * co];
                    }
                }
                to += ow;
            }
        }
    }

    /**
     * Samples per pass of {@link #convolve} ({@code ci} channels in, {@code co} out, {@code tiles} per sample): at
     * most {@link #COLUMNS} tiles and {@link #PASS_BYTES} of V and M, at least one sample. A pass's output rows do not
     * depend on the other rows of its product, so this choice does not change a bit of the result. A 256 -> 256
     * layer on a 7x7 map took 8 samples per pass with {@link #COLUMNS} alone (2.2 MB of V, as many of M) and takes 3
     * now: forward and input gradient 0.80x and 0.74x the time (with U packed, same JVM alternating, 16 samples,
     * AMD EPYC 1 MB L2); 1 sample per pass was no faster, and on a 14x14 map of 128 channels it was 1.06x slower
     * (49 product rows: a seventh block of 8 rows for one row).
     */
    static int passSamples(int tiles, int ci, int co) {
        long perSample = 16L * tiles * (stride(ci) + stride(co)) * Float.BYTES;
        return (int) Math.max(1, Math.min(COLUMNS / tiles, PASS_BYTES / perSample));
    }
}
