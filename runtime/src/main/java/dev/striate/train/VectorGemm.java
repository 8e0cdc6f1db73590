package dev.striate.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link Gemm} kernel on {@code jdk.incubator.vector}: A packed in panels of {@link #MR} rows,
 * B in panels of {@link #NR} columns (two vectors), and a micro-kernel keeping the
 * {@code MR x NR} tile of C in eight vector registers while it runs down {@code k} with one fused
 * multiply-add per register. Loaded only when the module is present.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 4;
    static final int NR = 2 * L;

    private VectorGemm() {
    }

    /** Packs A for {@link #multiplyPacked}: per block of {@link Gemm#KC}, panels of {@link #MR} rows. */
    static void packA(Gemm ws, int m, int k, float[] a, int aOff, int aRow, int aCol) {
        int mPad = (m + MR - 1) / MR * MR;
        if (ws.packA.length < mPad * k) {
            ws.packA = new float[mPad * k];
        }
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
        if (ws.panelB.length < NR * kcMax) {
            ws.panelB = new float[NR * kcMax];
        }
        if (ws.panelA.length < MR * kcMax) {
            ws.panelA = new float[MR * kcMax];
        }
        if (ws.tile.length < MR * NR) {
            ws.tile = new float[MR * NR];
        }
        final boolean direct = ws.aDirect;
        final float[] pa = direct ? ws.a : ws.packA;
        final float[] pb = ws.panelB;
        // with A read in place, its last rows (fewer than MR) are packed into panelA, zero-padded
        final int fullRows = direct ? m / MR * MR : mPad;
        for (int p0 = 0; p0 < k; p0 += Gemm.KC) {
            int kc = Math.min(Gemm.KC, k - p0);
            boolean add = accumulate || p0 > 0;
            if (fullRows < m) {
                packPanel(ws.panelA, 0, ws.a, ws.aOff + fullRows * ws.aRow + p0, ws.aRow, 1, m - fullRows, kc);
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
                        kernel(kc, pa, ws.aOff + i0 * ws.aRow + p0, ws.aRow, 1, bp, bi, bStep, c, ci + i0 * cRow, cRow, mr, nr,
                                add, ws.tile);
                    } else {
                        kernel(kc, ws.panelA, 0, 1, MR, bp, bi, bStep, c, ci + i0 * cRow, cRow, mr, nr, add, ws.tile);
                    }
                }
            }
        }
    }

    /** Packs all of B for {@link #multiplyPackedB}: per block of {@link Gemm#KC}, panels of {@link #NR} columns. */
    static void packB(Gemm ws, int k, int n, float[] b, int bOff, int bRow, int bCol) {
        int nPad = (n + NR - 1) / NR * NR;
        if (ws.packB.length < nPad * k) {
            ws.packB = new float[nPad * k];
        }
        final float[] pb = ws.packB;
        for (int p0 = 0; p0 < k; p0 += Gemm.KC) {
            int kc = Math.min(Gemm.KC, k - p0);
            for (int j0 = 0; j0 < nPad; j0 += NR) {
                int nr = Math.max(0, Math.min(NR, n - j0));
                int base = nPad * p0 + j0 * kc;
                for (int p = 0; p < kc; p++) {
                    int at = bOff + (p0 + p) * bRow + j0 * bCol;
                    int to = base + p * NR;
                    for (int jj = 0; jj < nr; jj++) {
                        pb[to + jj] = b[at + jj * bCol];
                    }
                    for (int jj = nr; jj < NR; jj++) {
                        pb[to + jj] = 0f;
                    }
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
        if (ws.panelA.length < mPad * kcMax) {
            ws.panelA = new float[mPad * kcMax];
        }
        if (ws.tile.length < MR * NR) {
            ws.tile = new float[MR * NR];
        }
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

    /**
     * One {@code MR x NR} tile of C: A's element (r, p) at {@code pa[ai + r * aRowStep + p * aStep]} (a
     * packed panel: 1 and MR; A itself when its rows are contiguous: its row stride and 1), B's
     * row {@code p} at {@code pb[bi + p * bStep ..]} (a packed panel, or B itself when its rows are
     * contiguous and the tile is full).
     */
    private static void kernel(int kc, float[] pa, int ai, int aRowStep, int aStep, float[] pb, int bi, int bStep,
                               float[] c, int ci, int cRow, int mr, int nr, boolean add, float[] tile) {
        final int r1 = aRowStep;
        final int r2 = 2 * aRowStep;
        final int r3 = 3 * aRowStep;
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ai += aStep, bi += bStep) {
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + L);
            FloatVector av = FloatVector.broadcast(S, pa[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, pa[ai + r1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, pa[ai + r2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, pa[ai + r3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        if (mr == MR && nr == NR) {
            store(c, ci, c00, c01, add);
            store(c, ci + cRow, c10, c11, add);
            store(c, ci + 2 * cRow, c20, c21, add);
            store(c, ci + 3 * cRow, c30, c31, add);
            return;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        for (int r = 0; r < mr; r++) {
            int row = ci + r * cRow;
            for (int jj = 0; jj < nr; jj++) {
                c[row + jj] = add ? c[row + jj] + tile[r * NR + jj] : tile[r * NR + jj];
            }
        }
    }

    private static void store(float[] c, int at, FloatVector v0, FloatVector v1, boolean add) {
        if (add) {
            v0 = FloatVector.fromArray(S, c, at).add(v0);
            v1 = FloatVector.fromArray(S, c, at + L).add(v1);
        }
        v0.intoArray(c, at);
        v1.intoArray(c, at + L);
    }
}
