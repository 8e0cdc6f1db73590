package dev.striate.train;

import static dev.striate.train.VectorMicroKernels.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link Gemm} kernel on {@code jdk.incubator.vector}: A packed in panels of {@link #MR} rows,
 * B in panels of {@link #NR} columns (two vectors), and a micro-kernel ({@link VectorMicroKernels}) keeping
 * the {@code MR x NR} tile of C in registers while it runs down {@code k} with one fused multiply-add
 * per register: 8 x 2 vectors where vectors hold 16 floats (AVX-512, 32 registers), 6 x 2 otherwise
 * (AVX2, 16 registers). Measured on the training shapes (thread CPU time, JDK 17): on AVX-512
 * 8 x 2 runs 10-35% faster than 6 x 2 and 6 x 2 10-15% faster than 4 x 2; under
 * {@code -XX:UseAVX=2} 8 x 2 spills registers and runs 13% slower than 6 x 2. The two tiles are two
 * methods written out in full (Java has no way to generate them from one source without boxing).
 * Everything a kernel does is written out in it: a vector passed to a helper method that C2
 * does not inline is boxed, which made the 6 x 2 kernel 15x slower. A narrow product whose
 * operands are both contiguous along {@code k} runs as dot products instead ({@link #multiplyDots}).
 * Loaded only when the module is present.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = L >= 16 ? 8 : 6;
    static final int NR = 2 * L;

    private VectorGemm() {
    }

    /** Packs A for {@link #multiplyPacked}: per block of {@link Gemm#KC}, panels of {@link #MR} rows. */
    static void packA(Gemm ws, int m, int k, float[] a, int aOff, int aRow, int aCol) {
        int mPad = (m + MR - 1) / MR * MR;
        ws.packA = Gemm.atLeast(ws.packA, mPad * k);
        final float[] pa = ws.packA;
        for (int p0 = 0; p0 < k; p0 += Gemm.KC) {
            int kc = Math.min(Gemm.KC, k - p0);
            // block at mPad * p0; its panel of rows i0..i0+MR-1 at i0 * kc
            for (int i0 = 0; i0 < mPad; i0 += MR) {
                packPanel(pa, mPad * p0 + i0 * kc, a, aOff + i0 * aRow + p0 * aCol, aRow, aCol, Math.min(MR, m - i0), kc);
            }
        }
    }

    /**
     * Packs rows {@code 0..rows-1} (at most MR) of A, columns {@code 0..kc-1}, from {@code a[at + r *
     * aRow + p * aCol]} into {@code dst[to + p * MR + r]}, with zero rows up to MR.
     */
    private static void packPanel(float[] dst, int to, float[] a, int at, int aRow, int aCol, int rows, int kc) {
        for (int r = 0; r < MR; r++) {
            if (r < rows) {
                int from = at + r * aRow;
                for (int p = 0; p < kc; p++) {
                    dst[to + p * MR + r] = a[from + p * aCol];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    dst[to + p * MR + r] = 0f;
                }
            }
        }
    }

    /** {@code C (+)= A B} with the A that {@link #packA} packed into {@code ws} ({@code m x k}). */
    static void multiplyPacked(Gemm ws, int m, int k, int n, float[] b, int bOff, int bRow, int bCol,
                               float[] c, int cOff, int cRow, boolean accumulate) {
        int mPad = (m + MR - 1) / MR * MR;
        int kcMax = Math.min(k, Gemm.KC);
        ws.panelB = Gemm.atLeast(ws.panelB, NR * kcMax);
        ws.panelA = Gemm.atLeast(ws.panelA, MR * kcMax);
        ws.tile = Gemm.atLeast(ws.tile, MR * NR);
        final boolean direct = ws.aDirect;
        final float[] pa = direct ? ws.a : ws.packA;
        final float[] pb = ws.panelB;
        // with A read in place, its last rows (fewer than MR) are packed into panelA, zero-padded
        final int fullRows = direct ? m / MR * MR : mPad;
        if (!direct && (long) mPad * kcMax > TALL_A_FLOATS && mPad >= 2 * ((n + NR - 1) / NR * NR)) {
            multiplyTall(ws, m, k, n, b, bOff, bRow, bCol, c, cOff, cRow, accumulate);
            return;
        }
        for (int p0 = 0; p0 < k; p0 += Gemm.KC) {
            int kc = Math.min(Gemm.KC, k - p0);
            boolean add = accumulate || p0 > 0;
            if (fullRows < m) {
                packPanel(ws.panelA, 0, ws.a, ws.aOff + fullRows * ws.aRow + p0 * ws.aCol, ws.aRow, ws.aCol, m - fullRows, kc);
            }
            for (int j0 = 0; j0 < n; j0 += NR) {
                int nr = Math.min(NR, n - j0);
                float[] bp = pb;
                int bi = 0;
                int bStep = NR;
                if (bCol == 1 && nr == NR) {
                    // B's rows are contiguous and the panel is full: the kernel reads B in place
                    bp = b;
                    bi = bOff + p0 * bRow + j0;
                    bStep = bRow;
                } else {
                    // B: element (p, jj) at p * NR + jj, zero beyond column nr
                    for (int p = 0; p < kc; p++) {
                        int at = bOff + (p0 + p) * bRow + j0 * bCol;
                        int to = p * NR;
                        if (bCol == 1) {
                            System.arraycopy(b, at, pb, to, nr);
                        } else {
                            for (int jj = 0; jj < nr; jj++) {
                                pb[to + jj] = b[at + jj * bCol];
                            }
                        }
                        for (int jj = nr; jj < NR; jj++) {
                            pb[to + jj] = 0f;
                        }
                    }
                }
                int ci = cOff + j0;
                for (int i0 = 0; i0 < m; i0 += MR) {
                    int mr = Math.min(MR, m - i0);
                    if (!direct) {
                        kernel(kc, pa, mPad * p0 + i0 * kc, 1, MR, bp, bi, bStep, c, ci + i0 * cRow, cRow, mr, nr, add, ws.tile);
                    } else if (i0 < fullRows) {
                        kernel(kc, pa, ws.aOff + i0 * ws.aRow + p0 * ws.aCol, ws.aRow, ws.aCol, bp, bi, bStep, c, ci + i0 * cRow,
                                cRow, mr, nr, add, ws.tile);
                    } else {
                        kernel(kc, ws.panelA, 0, 1, MR, bp, bi, bStep, c, ci + i0 * cRow, cRow, mr, nr, add, ws.tile);
                    }
                }
            }
        }
    }

    /**
     * A packed block of A larger than this (floats: 512 KB) no longer stays in a core's L2 cache
     * while {@link #multiplyPacked} runs it past every panel of B.
     */
    static final int TALL_A_FLOATS = 128 * 1024;

    /**
     * {@link #multiplyPacked} for a tall packed A (e.g. {@code W^T} of a convolution's input
     * gradient, 2,304 x 256, 2.4 MB) and a B at most half as wide: each block of B is packed whole
     * (panels of {@link #NR} columns, zero beyond n) and the loops run over A's panels outside and
     * B's inside, so each panel of A is read from memory once per block instead of once per panel
     * of B. Every tile is the same kernel call over the same values as in {@link #multiplyPacked}:
     * the same bits.
     */
    private static void multiplyTall(Gemm ws, int m, int k, int n, float[] b, int bOff, int bRow, int bCol,
                                     float[] c, int cOff, int cRow, boolean accumulate) {
        int mPad = (m + MR - 1) / MR * MR;
        int nPad = (n + NR - 1) / NR * NR;
        int kcMax = Math.min(k, Gemm.KC);
        ws.blockB = Gemm.atLeast(ws.blockB, nPad * kcMax);
        final float[] pa = ws.packA;
        final float[] pb = ws.blockB;
        for (int p0 = 0; p0 < k; p0 += Gemm.KC) {
            int kc = Math.min(Gemm.KC, k - p0);
            boolean add = accumulate || p0 > 0;
            packBlockB(pb, 0, b, bOff, bRow, bCol, p0, kc, n, nPad);
            for (int i0 = 0; i0 < m; i0 += MR) {
                int mr = Math.min(MR, m - i0);
                for (int j0 = 0; j0 < n; j0 += NR) {
                    kernel(kc, pa, mPad * p0 + i0 * kc, 1, MR, pb, j0 * kc, NR, c, cOff + i0 * cRow + j0, cRow, mr,
                            Math.min(NR, n - j0), add, ws.tile);
                }
            }
        }
    }

    /**
     * Where {@link #packB} puts B's element {@code (p, j)} of a {@code k x n} B: per block of {@link Gemm#KC} rows, panels
     * of {@link #NR} columns, zero beyond n. For a caller that writes B in this layout itself (Winograd's transformed
     * weights) and then runs {@link #multiplyPrepacked}.
     */
    static int packedIndex(int k, int n, int p, int j) {
        int nPad = (n + NR - 1) / NR * NR;
        int p0 = p - p % Gemm.KC;
        int kc = Math.min(Gemm.KC, k - p0);
        return nPad * p0 + (j - j % NR) * kc + (p - p0) * NR + j % NR;
    }

    /** Floats of a {@code k x n} B in {@link #packB}'s layout. */
    static int packedSize(int k, int n) {
        return k * ((n + NR - 1) / NR * NR);
    }

    /**
     * {@code C (+)= A B} with A read in place (rows {@code aRow} apart, contiguous along k) and B already in
     * {@link #packB}'s layout from {@code pb[pbOff]}: the kernel calls of {@link #multiplyPacked} with A in place,
     * over the same values in the same order (the same bits), but each panel of B read from consecutive memory
     * instead of from {@code NR} columns of rows scattered over B (a 256 x 256 B: 68 pages per panel).
     */
    static void multiplyPrepacked(Gemm ws, int m, int k, int n, float[] a, int aOff, int aRow, float[] pb, int pbOff,
                                  float[] c, int cOff, int cRow, boolean accumulate) {
        int nPad = (n + NR - 1) / NR * NR;
        int kcMax = Math.min(k, Gemm.KC);
        ws.panelA = Gemm.atLeast(ws.panelA, MR * kcMax);
        ws.tile = Gemm.atLeast(ws.tile, MR * NR);
        // A's last rows (fewer than MR) are packed into panelA, zero-padded
        final int fullRows = m / MR * MR;
        for (int p0 = 0; p0 < k; p0 += Gemm.KC) {
            int kc = Math.min(Gemm.KC, k - p0);
            boolean add = accumulate || p0 > 0;
            if (fullRows < m) {
                packPanel(ws.panelA, 0, a, aOff + fullRows * aRow + p0, aRow, 1, m - fullRows, kc);
            }
            for (int j0 = 0; j0 < n; j0 += NR) {
                int nr = Math.min(NR, n - j0);
                int bi = pbOff + nPad * p0 + j0 * kc;
                int ci = cOff + j0;
                for (int i0 = 0; i0 < m; i0 += MR) {
                    int mr = Math.min(MR, m - i0);
                    if (i0 < fullRows) {
                        kernel(kc, a, aOff + i0 * aRow + p0, aRow, 1, pb, bi, NR, c, ci + i0 * cRow, cRow, mr, nr, add,
                                ws.tile);
                    } else {
                        kernel(kc, ws.panelA, 0, 1, MR, pb, bi, NR, c, ci + i0 * cRow, cRow, mr, nr, add, ws.tile);
                    }
                }
            }
        }
    }

    /** Packs all of B for {@link #multiplyPackedB}: per block of {@link Gemm#KC}, panels of {@link #NR} columns. */
    static void packB(Gemm ws, int k, int n, float[] b, int bOff, int bRow, int bCol) {
        int nPad = (n + NR - 1) / NR * NR;
        ws.packB = Gemm.atLeast(ws.packB, nPad * k);
        final float[] pb = ws.packB;
        for (int p0 = 0; p0 < k; p0 += Gemm.KC) {
            packBlockB(pb, nPad * p0, b, bOff, bRow, bCol, p0, Math.min(Gemm.KC, k - p0), n, nPad);
        }
    }

    /**
     * Packs rows {@code p0 .. p0 + kc - 1} of B into {@code pb} from {@code base}: panels of {@link #NR}
     * columns, panel {@code j0} at {@code j0 * kc}, element (p, jj) at {@code p * NR + jj}, zero beyond n.
     */
    private static void packBlockB(float[] pb, int base, float[] b, int bOff, int bRow, int bCol, int p0, int kc, int n,
                                   int nPad) {
        for (int j0 = 0; j0 < nPad; j0 += NR) {
            int nr = Math.max(0, Math.min(NR, n - j0));
            for (int p = 0; p < kc; p++) {
                int at = bOff + (p0 + p) * bRow + j0 * bCol;
                int to = base + j0 * kc + p * NR;
                for (int jj = 0; jj < nr; jj++) {
                    pb[to + jj] = b[at + jj * bCol];
                }
                for (int jj = nr; jj < NR; jj++) {
                    pb[to + jj] = 0f;
                }
            }
        }
    }

    /** {@code C (+)= A B} with the B that {@link #packB} packed into {@code ws} ({@code k x n}). */
    static void multiplyPackedB(Gemm ws, int m, int k, int n, float[] a, int aOff, int aRow, int aCol,
                                float[] c, int cOff, int cRow, boolean accumulate) {
        int mPad = (m + MR - 1) / MR * MR;
        int nPad = (n + NR - 1) / NR * NR;
        int kcMax = Math.min(k, Gemm.KC);
        ws.panelA = Gemm.atLeast(ws.panelA, mPad * kcMax);
        ws.tile = Gemm.atLeast(ws.tile, MR * NR);
        final float[] pa = ws.panelA;
        final float[] pb = ws.packB;
        for (int p0 = 0; p0 < k; p0 += Gemm.KC) {
            int kc = Math.min(Gemm.KC, k - p0);
            boolean add = accumulate || p0 > 0;
            for (int i0 = 0; i0 < mPad; i0 += MR) {
                packPanel(pa, i0 * kc, a, aOff + i0 * aRow + p0 * aCol, aRow, aCol, Math.min(MR, m - i0), kc);
            }
            for (int j0 = 0; j0 < n; j0 += NR) {
                int nr = Math.min(NR, n - j0);
                int bi = nPad * p0 + j0 * kc;
                for (int i0 = 0; i0 < m; i0 += MR) {
                    kernel(kc, pa, i0 * kc, 1, MR, pb, bi, NR, c, cOff + i0 * cRow + j0, cRow, Math.min(MR, m - i0), nr, add,
                            ws.tile);
                }
            }
        }
    }

    /** Rows of A and of B in one tile of {@link #multiplyDots}. */
    static final int DOT_ROWS_A = 4;
    static final int DOT_ROWS_B = 3;

    /**
     * True when {@code C = A B} with A's rows and B's columns both contiguous along {@code k} is
     * better computed as dot products ({@link #multiplyDots}) than on packed panels: C has fewer
     * columns than a panel, so the panel kernel would run mostly on padding, and the dots are long.
     */
    static boolean dots(int n, int k) {
        return n < NR && k >= 4 * L;
    }

    /**
     * {@code c(i, j) (+)= sum over p of a[aOff + i * aRow + p] b[bOff + j * bCol + p]}: tiles of
     * {@link #DOT_ROWS_A} x {@link #DOT_ROWS_B} dot products, each a vector of per-lane fused sums over
     * the whole vectors of {@code k}, added up in lane order, then the remaining products in order.
     */
    static void multiplyDots(Gemm ws, int m, int n, int k, float[] a, int aOff, int aRow, float[] b, int bOff, int bCol,
                             float[] c, int cOff, int cRow, boolean accumulate) {
        ws.tile = Gemm.atLeast(ws.tile, DOT_ROWS_A * DOT_ROWS_B * L);
        final float[] lanes = ws.tile;
        final int body = S.loopBound(k);
        for (int i0 = 0; i0 < m; i0 += DOT_ROWS_A) {
            int mr = Math.min(DOT_ROWS_A, m - i0);
            for (int j0 = 0; j0 < n; j0 += DOT_ROWS_B) {
                int nr = Math.min(DOT_ROWS_B, n - j0);
                // rows past the end of A or B repeat the last one; their sums are not stored
                int a0 = aOff + i0 * aRow;
                int a1 = aOff + (i0 + Math.min(1, mr - 1)) * aRow;
                int a2 = aOff + (i0 + Math.min(2, mr - 1)) * aRow;
                int a3 = aOff + (i0 + Math.min(3, mr - 1)) * aRow;
                int b0 = bOff + j0 * bCol;
                int b1 = bOff + (j0 + Math.min(1, nr - 1)) * bCol;
                int b2 = bOff + (j0 + Math.min(2, nr - 1)) * bCol;
                dotTile(body, a, a0, a1, a2, a3, b, b0, b1, b2, lanes);
                for (int r = 0; r < mr; r++) {
                    int ar = aOff + (i0 + r) * aRow;
                    for (int q = 0; q < nr; q++) {
                        int bq = bOff + (j0 + q) * bCol;
                        int t = (r * DOT_ROWS_B + q) * L;
                        float sum = 0f;
                        for (int l = 0; l < L; l++) {
                            sum += lanes[t + l];
                        }
                        for (int p = body; p < k; p++) {
                            sum += a[ar + p] * b[bq + p];
                        }
                        int at = cOff + (i0 + r) * cRow + j0 + q;
                        c[at] = accumulate ? c[at] + sum : sum;
                    }
                }
            }
        }
    }

    /** The per-lane sums of one tile of {@link #multiplyDots} over {@code body} products, into {@code lanes}. */
    private static void dotTile(int body, float[] a, int a0, int a1, int a2, int a3, float[] b, int b0, int b1, int b2,
                                float[] lanes) {
        FloatVector s00 = FloatVector.zero(S);
        FloatVector s01 = FloatVector.zero(S);
        FloatVector s02 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S);
        FloatVector s11 = FloatVector.zero(S);
        FloatVector s12 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S);
        FloatVector s21 = FloatVector.zero(S);
        FloatVector s22 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S);
        FloatVector s31 = FloatVector.zero(S);
        FloatVector s32 = FloatVector.zero(S);
        for (int p = 0; p < body; p += L) {
            FloatVector v0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector v1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector v2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector u = FloatVector.fromArray(S, a, a0 + p);
            s00 = u.fma(v0, s00);
            s01 = u.fma(v1, s01);
            s02 = u.fma(v2, s02);
            u = FloatVector.fromArray(S, a, a1 + p);
            s10 = u.fma(v0, s10);
            s11 = u.fma(v1, s11);
            s12 = u.fma(v2, s12);
            u = FloatVector.fromArray(S, a, a2 + p);
            s20 = u.fma(v0, s20);
            s21 = u.fma(v1, s21);
            s22 = u.fma(v2, s22);
            u = FloatVector.fromArray(S, a, a3 + p);
            s30 = u.fma(v0, s30);
            s31 = u.fma(v1, s31);
            s32 = u.fma(v2, s32);
        }
        s00.intoArray(lanes, 0);
        s01.intoArray(lanes, L);
        s02.intoArray(lanes, 2 * L);
        s10.intoArray(lanes, 3 * L);
        s11.intoArray(lanes, 4 * L);
        s12.intoArray(lanes, 5 * L);
        s20.intoArray(lanes, 6 * L);
        s21.intoArray(lanes, 7 * L);
        s22.intoArray(lanes, 8 * L);
        s30.intoArray(lanes, 9 * L);
        s31.intoArray(lanes, 10 * L);
        s32.intoArray(lanes, 11 * L);
    }
}
