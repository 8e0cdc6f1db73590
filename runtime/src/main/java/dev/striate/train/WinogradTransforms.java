package dev.striate.train;

/**
 * {@link Winograd}'s tile transforms and buffer layout: {@code U = G g G^T} of the weights, {@code V = B^T d B} of
 * the input tiles, {@code Y = A^T M A} of the products and {@code dM = A dY A^T} of the output gradient, with the
 * row strides and matrix distances of U, V and M. The plain loops; {@link VectorWinograd} does the whole vectors.
 */
final class WinogradTransforms {
    private WinogradTransforms() {
    }

    /**
     * {@code dM = A dY A^T} of each 2x2 tile of one sample's output gradient {@code dz[at..]} ({@code f} planes of
     * {@code oh x ow}, zero past the edge) into {@code m[(row + t) * ld + xi * step + o]} for its tiles {@code t}: a
     * tile's row of M holds the {@code f} channels, so the vector part ({@link VectorWinograd#tileGradient}) gathers a
     * tap of {@code L} planes into one vector and stores whole vectors; the plain loop does the rest.
     * {@code A = [1 0; 1 1; 1 -1; 0 -1]}.
     */
    static void transformGradient(Gemm gemm, float[] dz, int at, int f, int oh, int ow, int th, int tw, float[] m,
                                  int row, int ld, int step) {
        int plane = oh * ow;
        boolean vector = gemm.vector();
        if (vector) {
            gemm.winoGradMap = VectorWinograd.lanesApart(gemm.winoGradMap, plane);
        }
        for (int ty = 0; ty < th; ty++) {
            boolean down = 2 * ty + 1 < oh;
            for (int tx = 0; tx < tw; tx++) {
                boolean right = 2 * tx + 1 < ow;
                int p = at + 2 * ty * ow + 2 * tx;
                int e = (row + ty * tw + tx) * ld;
                int done = vector ? VectorWinograd.tileGradient(dz, p, plane, ow, down, right, f, gemm.winoGradMap, m, e, step)
                        : 0;
                tileGradient(dz, p, plane, ow, down, right, m, e, step, done, f);
            }
        }
    }

    /**
     * {@code dM = A dY A^T} of one tile for the channels {@code from .. to - 1}: its taps {@code dz[p + o * plane]}
     * ({@code + 1}, {@code + ow}, {@code + ow + 1}, zero where {@code right} or {@code down} is false) into
     * {@code m[e + xi * step + o]}.
     */
    static void tileGradient(float[] dz, int p, int plane, int ow, boolean down, boolean right, float[] m, int e,
                             int step, int from, int to) {
        for (int o = from; o < to; o++) {
            int q = p + o * plane;
            float y00 = dz[q];
            float y01 = right ? dz[q + 1] : 0f;
            float y10 = down ? dz[q + ow] : 0f;
            float y11 = down && right ? dz[q + ow + 1] : 0f;
            // A dY: rows y0, y0 + y1, y0 - y1, -y1 (per column)
            float b00 = y00;
            float b01 = y01;
            float b10 = y00 + y10;
            float b11 = y01 + y11;
            float b20 = y00 - y10;
            float b21 = y01 - y11;
            float b30 = -y10;
            float b31 = -y11;
            int d = e + o;
            // (A dY) A^T: per row, b0, b0 + b1, b0 - b1, -b1
            m[d] = b00;
            m[d + step] = b00 + b01;
            m[d + 2 * step] = b00 - b01;
            m[d + 3 * step] = -b01;
            m[d + 4 * step] = b10;
            m[d + 5 * step] = b10 + b11;
            m[d + 6 * step] = b10 - b11;
            m[d + 7 * step] = -b11;
            m[d + 8 * step] = b20;
            m[d + 9 * step] = b20 + b21;
            m[d + 10 * step] = b20 - b21;
            m[d + 11 * step] = -b21;
            m[d + 12 * step] = b30;
            m[d + 13 * step] = b30 + b31;
            m[d + 14 * step] = b30 - b31;
            m[d + 15 * step] = -b31;
        }
    }

    /**
     * {@code U[xi][i][o] = (G g G^T)[xi]} into {@code gemm.winoU}, rows {@link #stride} and matrices {@link #apart}
     * apart: for the forward pass {@code g = w[o][i]} ({@code o} an output channel of {@code f}); for the input
     * gradient {@code g = w[i][o]} turned by 180 degrees ({@code o} an input channel of {@code c}). Written along
     * the rows of U (the outputs {@code o} innermost), for the vector kernel in its packed layout ({@link #uStep}), whole vectors of
     * outputs by {@link VectorWinograd#weights}.
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
        if (packed) {
            gemm.winoMap = VectorWinograd.lanesApart(gemm.winoMap, turned ? 9 : 9 * ins);
            gemm.winoT = Gemm.atLeast(gemm.winoT, 6 * VectorGemm.NR);
        }
        for (int i = 0; i < ins; i++) {
            int done = packed ? VectorWinograd.weights(wt, i, ins, outs, turned, u, step, gemm.winoT, gemm.winoMap) : 0;
            for (int o = done; o < outs; o++) {
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
    static int uStep(Gemm gemm, int ins, int outs) {
        return apart(gemm.vector() ? VectorGemm.packedSize(ins, outs) : ins * stride(outs));
    }

    /** Sizes {@code gemm}'s V and padded HWC input and zeroes the latter (its borders stay zero while samples are copied in). */
    static void inputBuffers(Gemm gemm, int ci, int th, int tw, int vStep) {
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
    static void transformInput(Gemm gemm, float[] x, int s, int row, int ci, int h, int w, int th, int tw, int top,
                               int left, int vRow, int step) {
        final float[] pad = gemm.winoPlane;
        final float[] v = gemm.winoV;
        int pw = 2 * tw + 2;
        int rows = Math.min(h, 2 * th + 2 - top);
        int width = Math.min(w, pw - left);
        int xs = s * ci * h * w;
        copyIn(x, xs, ci, h * w, w, rows, width, pad, (top * pw + left) * ci, pw * ci);
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
     * The {@code rows x width} top-left pixels of {@code ci} CHW planes ({@code plane} floats apart, rows {@code w}
     * apart, from {@code x[xs]}) into an HWC buffer ({@code pad[to]}, rows {@code padRow} apart), four channels at a
     * time: four loads along four planes, four adjacent stores. Pixel by pixel with the channels innermost (the first
     * form) each pixel read {@code ci} planes at once, 9-10% of the Keras MNIST CNN's two-thread training step in perf;
     * four channels at a time 5.6-6.3%, and the Fashion CNN's share unchanged (5.7-6.2% against 5.7-7.3%). One channel
     * at a time (stores {@code ci} apart) was 5-7% on MNIST but 9-12% on the Fashion CNN's 128- and 256-channel layers;
     * 16 at a time 10-11% on MNIST.
     */
    private static void copyIn(float[] x, int xs, int ci, int plane, int w, int rows, int width, float[] pad, int to,
                               int padRow) {
        for (int c = 0; c < ci; c += 4) {
            int group = Math.min(4, ci - c);
            for (int r = 0; r < rows; r++) {
                int t = to + r * padRow + c;
                int q = xs + c * plane + r * w;
                for (int col = 0; col < width; col++, t += ci, q++) {
                    if (group == 4) {
                        pad[t] = x[q];
                        pad[t + 1] = x[q + plane];
                        pad[t + 2] = x[q + 2 * plane];
                        pad[t + 3] = x[q + 3 * plane];
                    } else {
                        for (int k = 0; k < group; k++) {
                            pad[t + k] = x[q + k * plane];
                        }
                    }
                }
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
    static void transformOutput(float[] m, int row, int mRow, int step, int th, int tw, int co, float[] bias,
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
