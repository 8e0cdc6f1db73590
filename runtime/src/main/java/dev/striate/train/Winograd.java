package dev.striate.train;

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
     * channel, not per channel pair) cost more than the 2.25x fewer multiplies save (measured, docs/training.md).
     */
    public static final int MIN_CHANNELS = 64;

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
     * 2x2 tile of d z (the product over every pass's tiles), then {@code dw[f][c] += G^T dU G} summed over the
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
        int ld = stride(Math.min(n, per) * tiles);
        int mStep = apart(f * ld);
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
                for (int o = 0; o < f; o++) {
                    transformGradient(dz, (s0 + q) * outSize + o * oh * ow, oh, ow, th, tw, m, o * ld + q * tiles, mStep);
                }
            }
            for (int xi = 0; xi < 16; xi++) {
                gemm.multiply(f, c, len, m, xi * mStep, ld, 1, v, xi * vStep, vRow, 1, du, xi * uStep, uRow, s0 > 0);
            }
        }
        // dw[o][i] += G^T dU G, summed over the 16 positions
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
     * {@code dM = A dY A^T} of each 2x2 tile of the plane {@code dz[at..]} ({@code oh x ow}, zero past the edge)
     * into {@code m[to + xi * stride + t]}; {@code A = [1 0; 1 1; 1 -1; 0 -1]}.
     */
    private static void transformGradient(float[] dz, int at, int oh, int ow, int th, int tw, float[] m, int to,
                                          int stride) {
        for (int ty = 0; ty < th; ty++) {
            boolean down = 2 * ty + 1 < oh;
            for (int tx = 0; tx < tw; tx++) {
                boolean right = 2 * tx + 1 < ow;
                int o = at + 2 * ty * ow + 2 * tx;
                float y00 = dz[o];
                float y01 = right ? dz[o + 1] : 0f;
                float y10 = down ? dz[o + ow] : 0f;
                float y11 = down && right ? dz[o + ow + 1] : 0f;
                // A dY: rows y0, y0 + y1, y0 - y1, -y1 (per column)
                float b00 = y00;
                float b01 = y01;
                float b10 = y00 + y10;
                float b11 = y01 + y11;
                float b20 = y00 - y10;
                float b21 = y01 - y11;
                float b30 = -y10;
                float b31 = -y11;
                int e = to + ty * tw + tx;
                // (A dY) A^T: per row, b0, b0 + b1, b0 - b1, -b1
                m[e] = b00;
                m[e + stride] = b00 + b01;
                m[e + 2 * stride] = b00 - b01;
                m[e + 3 * stride] = -b01;
                m[e + 4 * stride] = b10;
                m[e + 5 * stride] = b10 + b11;
                m[e + 6 * stride] = b10 - b11;
                m[e + 7 * stride] = -b11;
                m[e + 8 * stride] = b20;
                m[e + 9 * stride] = b20 + b21;
                m[e + 10 * stride] = b20 - b21;
                m[e + 11 * stride] = -b21;
                m[e + 12 * stride] = b30;
                m[e + 13 * stride] = b30 + b31;
                m[e + 14 * stride] = b30 - b31;
                m[e + 15 * stride] = -b31;
            }
        }
    }

    /**
     * {@code U[xi][i][o] = (G g G^T)[xi]} into {@code gemm.winoU}, rows {@link #stride} and matrices {@link #apart}
     * apart: for the forward pass {@code g = w[o][i]} ({@code o} an output channel of {@code f}); for the input
     * gradient {@code g = w[i][o]} turned by 180 degrees ({@code o} an input channel of {@code c}). Written along
     * the rows of U (the outputs {@code o} innermost), for the vector kernel in its packed layout ({@link #uStep}).
     */
    static void transformWeights(Gemm gemm, float[] wt, int f, int c, boolean turned) {
        // U's rows: i (a channel the convolution reads), each holding the outputs o, stride() apart
        int outs = turned ? c : f;
        int ins = turned ? f : c;
        int uRow = stride(outs);
        int step = uStep(gemm, ins, outs);
        boolean packed = gemm.vector();
        int columns = packed ? VectorGemm.packedSize(1, outs) : outs;
        gemm.winoU = Gemm.atLeast(gemm.winoU, 16 * step);
        final float[] u = gemm.winoU;
        // rows: T = G g (4 x 3), then U = T G^T (4 x 4); G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]
        for (int i = 0; i < ins; i++) {
            for (int o = 0; o < outs; o++) {
                int e = packed ? VectorGemm.packedIndex(ins, outs, i, o) : i * uRow + o;
                // the taps g[k] = w[o][i][k], or turned: w[i][o][8 - k] (a filter's, read along its input channels)
                int at = turned ? (i * outs + o) * 9 : (o * ins + i) * 9;
                int d = turned ? -1 : 1;
                int k0 = turned ? at + 8 : at;
                float g00 = wt[k0];
                float g01 = wt[k0 + d];
                float g02 = wt[k0 + 2 * d];
                float g10 = wt[k0 + 3 * d];
                float g11 = wt[k0 + 4 * d];
                float g12 = wt[k0 + 5 * d];
                float g20 = wt[k0 + 6 * d];
                float g21 = wt[k0 + 7 * d];
                float g22 = wt[k0 + 8 * d];
                float t00 = g00;
                float t01 = g01;
                float t02 = g02;
                float t10 = 0.5f * (g00 + g10 + g20);
                float t11 = 0.5f * (g01 + g11 + g21);
                float t12 = 0.5f * (g02 + g12 + g22);
                float t20 = 0.5f * (g00 - g10 + g20);
                float t21 = 0.5f * (g01 - g11 + g21);
                float t22 = 0.5f * (g02 - g12 + g22);
                float t30 = g20;
                float t31 = g21;
                float t32 = g22;
                u[e] = t00;
                u[step + e] = 0.5f * (t00 + t01 + t02);
                u[2 * step + e] = 0.5f * (t00 - t01 + t02);
                u[3 * step + e] = t02;
                u[4 * step + e] = t10;
                u[5 * step + e] = 0.5f * (t10 + t11 + t12);
                u[6 * step + e] = 0.5f * (t10 - t11 + t12);
                u[7 * step + e] = t12;
                u[8 * step + e] = t20;
                u[9 * step + e] = 0.5f * (t20 + t21 + t22);
                u[10 * step + e] = 0.5f * (t20 - t21 + t22);
                u[11 * step + e] = t22;
                u[12 * step + e] = t30;
                u[13 * step + e] = 0.5f * (t30 + t31 + t32);
                u[14 * step + e] = 0.5f * (t30 - t31 + t32);
                u[15 * step + e] = t32;
            }
            // packed: the columns past the outputs, up to a whole panel, are zero
            for (int o = outs; o < columns; o++) {
                int e = VectorGemm.packedIndex(ins, outs, i, o);
                for (int xi = 0; xi < 16; xi++) {
                    u[xi * step + e] = 0f;
                }
            }
        }
    }

    /**
     * The distance between two of the 16 matrices U ({@code ins x outs}) that {@link #transformWeights} writes: rows
     * {@link #stride} apart, or for the vector kernel in {@link VectorGemm#packedIndex}'s layout, which its product
     * reads without packing ({@link VectorGemm#multiplyPrepacked}).
     */
    private static int uStep(Gemm gemm, int ins, int outs) {
        return apart(gemm.vector() ? VectorGemm.packedSize(ins, outs) : ins * stride(outs));
    }


    /** Sizes {@code gemm}'s V and padded HWC input and zeroes the latter (its borders stay zero while samples are copied in). */
    private static void inputBuffers(Gemm gemm, int ci, int th, int tw, int vStep) {
        int padded = (2 * th + 2) * (2 * tw + 2) * ci;
        gemm.winoV = Gemm.atLeast(gemm.winoV, 16 * vStep);
        gemm.winoPlane = Gemm.atLeast(gemm.winoPlane, padded);
        java.util.Arrays.fill(gemm.winoPlane, 0, padded, 0f);
    }

    /**
     * Sample {@code s} of {@code x} ({@code [ci][h][w]}) into the padded HWC buffer ({@code top}/{@code left} zero
     * rows/columns before it), then {@code V = B^T d B} of each of its {@code th x tw} tiles' 4x4 patches into rows
     * {@code row ..} of V ({@code vRow} apart, matrices {@code step} apart), channels innermost (loops C2 vectorizes).
     */
    private static void transformInput(Gemm gemm, float[] x, int s, int row, int ci, int h, int w, int th, int tw, int top,
                                       int left, int vRow, int step) {
        final float[] pad = gemm.winoPlane;
        final float[] v = gemm.winoV;
        int pw = 2 * tw + 2;
        int rows = Math.min(h, 2 * th + 2 - top);
        int width = Math.min(w, pw - left);
        int xs = s * ci * h * w;
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < width; col++) {
                int to = ((r + top) * pw + col + left) * ci;
                int from = xs + r * w + col;
                for (int c = 0; c < ci; c++) {
                    pad[to + c] = x[from + c * h * w];
                }
            }
        }
        int pix = pw * ci;
        boolean vector = gemm.vector();
        for (int ty = 0; ty < th; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                int b0 = (2 * ty * pw + 2 * tx) * ci;
                int e = (row + ty * tw + tx) * vRow;
                int done = vector ? VectorWinograd.tileIn(pad, b0, pix, ci, v, e, step) : 0;
                tileIn(pad, b0, pix, ci, v, e, step, done, ci);
            }
        }
    }

    /**
     * {@code V = B^T d B} of one tile for the channels {@code from .. to - 1}: its 4x4 patch's rows at {@code b0},
     * {@code b0 + pix}, ..., its pixels {@code ci} apart, into {@code v[e + xi * step + c]}.
     */
    static void tileIn(float[] pad, int b0, int pix, int ci, float[] v, int e, int step, int from, int to) {
        int b1 = b0 + pix;
        int b2 = b1 + pix;
        int b3 = b2 + pix;
        for (int c = from; c < to; c++) {
            // B^T d: per column j, a0 = d0 - d2, a1 = d1 + d2, a2 = d2 - d1, a3 = d1 - d3
            float a00 = pad[b0 + c] - pad[b2 + c];
            float a10 = pad[b1 + c] + pad[b2 + c];
            float a20 = pad[b2 + c] - pad[b1 + c];
            float a30 = pad[b1 + c] - pad[b3 + c];
            float a01 = pad[b0 + ci + c] - pad[b2 + ci + c];
            float a11 = pad[b1 + ci + c] + pad[b2 + ci + c];
            float a21 = pad[b2 + ci + c] - pad[b1 + ci + c];
            float a31 = pad[b1 + ci + c] - pad[b3 + ci + c];
            float a02 = pad[b0 + 2 * ci + c] - pad[b2 + 2 * ci + c];
            float a12 = pad[b1 + 2 * ci + c] + pad[b2 + 2 * ci + c];
            float a22 = pad[b2 + 2 * ci + c] - pad[b1 + 2 * ci + c];
            float a32 = pad[b1 + 2 * ci + c] - pad[b3 + 2 * ci + c];
            float a03 = pad[b0 + 3 * ci + c] - pad[b2 + 3 * ci + c];
            float a13 = pad[b1 + 3 * ci + c] + pad[b2 + 3 * ci + c];
            float a23 = pad[b2 + 3 * ci + c] - pad[b1 + 3 * ci + c];
            float a33 = pad[b1 + 3 * ci + c] - pad[b3 + 3 * ci + c];
            // (B^T d) B: per row i, the same combinations along the row
            v[e + c] = a00 - a02;
            v[step + e + c] = a01 + a02;
            v[2 * step + e + c] = a02 - a01;
            v[3 * step + e + c] = a01 - a03;
            v[4 * step + e + c] = a10 - a12;
            v[5 * step + e + c] = a11 + a12;
            v[6 * step + e + c] = a12 - a11;
            v[7 * step + e + c] = a11 - a13;
            v[8 * step + e + c] = a20 - a22;
            v[9 * step + e + c] = a21 + a22;
            v[10 * step + e + c] = a22 - a21;
            v[11 * step + e + c] = a21 - a23;
            v[12 * step + e + c] = a30 - a32;
            v[13 * step + e + c] = a31 + a32;
            v[14 * step + e + c] = a32 - a31;
            v[15 * step + e + c] = a31 - a33;
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
        int plane = oh * ow;
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
                int ys = (s0 + q) * outSize;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int from = (oy * ow2 + ox) * co;
                        int to = ys + oy * ow + ox;
                        if (accumulate) {
                            for (int o = 0; o < co; o++) {
                                y[to + o * plane] += out[from + o];
                            }
                        } else {
                            for (int o = 0; o < co; o++) {
                                y[to + o * plane] = out[from + o];
                            }
                        }
                    }
                }
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

    /**
     * A row stride of at least {@code floats}: whole cache lines, an odd number of them, so that the rows a
     * kernel reads down a column fall into every set of the L1 cache (a stride of a power of two, such as
     * 256 channels or 256 tiles, puts them all in a few sets, and the 7x7 layers ran 3x slower).
     */
    static int stride(int floats) {
        int lines = (floats + 15) / 16;
        return 16 * (lines % 2 == 0 ? lines + 1 : lines);
    }

    /** The distance between two of the 16 matrices of {@code floats}: not a multiple of 4 KB (one line more when it is). */
    static int apart(int floats) {
        int whole = (floats + 15) / 16 * 16;
        return whole % 1024 == 0 ? whole + 16 : whole;
    }

    /**
     * {@code Y = A^T M A} plus the bias of each of a sample's tiles (rows {@code row ..} of M, {@code [16][tiles][co]})
     * into {@code out}, HWC over the {@code 2 th x 2 tw} pixels the tiles cover, channels innermost.
     */
    private static void transformOutput(float[] m, int row, int mRow, int step, int th, int tw, int co, float[] bias,
                                        float[] out, boolean vector) {
        int ow2 = 2 * tw;
        for (int ty = 0; ty < th; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                int e = (row + ty * tw + tx) * mRow;
                int o0 = (2 * ty * ow2 + 2 * tx) * co;
                int done = vector ? VectorWinograd.tileOut(m, e, step, co, bias, out, o0, ow2 * co) : 0;
                tileOut(m, e, step, co, bias, out, o0, ow2 * co, done, co);
            }
        }
    }

    /**
     * {@code Y = A^T M A} plus the bias of one tile for the channels {@code from .. to - 1}: {@code m[e + xi * step + o]}
     * into the tile's four HWC pixels of {@code out} from {@code o0} (the second row {@code below} further).
     */
    static void tileOut(float[] m, int e, int step, int co, float[] bias, float[] out, int o0, int below, int from,
                        int to) {
        int o1 = o0 + co;
        int o2 = o0 + below;
        int o3 = o2 + co;
        for (int o = from; o < to; o++) {
            // A^T M: s0j = m0j + m1j + m2j, s1j = m1j - m2j - m3j
            float s00 = m[e + o] + m[4 * step + e + o] + m[8 * step + e + o];
            float s01 = m[step + e + o] + m[5 * step + e + o] + m[9 * step + e + o];
            float s02 = m[2 * step + e + o] + m[6 * step + e + o] + m[10 * step + e + o];
            float s03 = m[3 * step + e + o] + m[7 * step + e + o] + m[11 * step + e + o];
            float s10 = m[4 * step + e + o] - m[8 * step + e + o] - m[12 * step + e + o];
            float s11 = m[5 * step + e + o] - m[9 * step + e + o] - m[13 * step + e + o];
            float s12 = m[6 * step + e + o] - m[10 * step + e + o] - m[14 * step + e + o];
            float s13 = m[7 * step + e + o] - m[11 * step + e + o] - m[15 * step + e + o];
            float b = bias[o];
            out[o0 + o] = s00 + s01 + s02 + b;
            out[o1 + o] = s01 - s02 - s03 + b;
            out[o2 + o] = s10 + s11 + s12 + b;
            out[o3 + o] = s11 - s12 - s13 + b;
        }
    }
}
