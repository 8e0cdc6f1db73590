package dev.striate.train;

import static dev.striate.train.VectorGemm.MR;
import static dev.striate.train.VectorGemm.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorGemm}'s register-blocked micro-kernels: one {@code MR x NR} tile of C kept in vector registers
 * while the kernel runs down {@code k} (8 x 2 vectors on AVX-512, 6 x 2 on AVX2), each written out in full so
 * that no vector crosses a method call. Loaded only when the module is present.
 */
final class VectorMicroKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorMicroKernels() {
    }

    /**
     * One {@code MR x NR} tile of C: A's element (r, p) at {@code pa[ai + r * aRowStep + p * aStep]} (a
     * packed panel: 1 and MR; A itself when its rows are contiguous: its row stride and 1), B's
     * row {@code p} at {@code pb[bi + p * bStep ..]} (a packed panel, or B itself when its rows are
     * contiguous and the tile is full).
     */
    static void kernel(int kc, float[] pa, int ai, int aRowStep, int aStep, float[] pb, int bi, int bStep,
                       float[] c, int ci, int cRow, int mr, int nr, boolean add, float[] tile) {
        if (MR == 8) {
            kernel8(kc, pa, ai, aRowStep, aStep, pb, bi, bStep, c, ci, cRow, mr, nr, add, tile);
        } else {
            kernel6(kc, pa, ai, aRowStep, aStep, pb, bi, bStep, c, ci, cRow, mr, nr, add, tile);
        }
    }

    /** The first {@code mr} rows and {@code nr} columns of a tile of C held in {@code tile} (rows of NR), stored or added. */
    private static void storeTile(float[] c, int ci, int cRow, int mr, int nr, boolean add, float[] tile) {
        for (int r = 0; r < mr; r++) {
            int row = ci + r * cRow;
            for (int jj = 0; jj < nr; jj++) {
                c[row + jj] = add ? c[row + jj] + tile[r * NR + jj] : tile[r * NR + jj];
            }
        }
    }

    /** {@link #kernel} with 8 x 2 vectors of C (AVX-512: 16 of its 32 vector registers). */
    private static void kernel8(int kc, float[] pa, int ai, int aRowStep, int aStep, float[] pb, int bi, int bStep,
                               float[] c, int ci, int cRow, int mr, int nr, boolean add, float[] tile) {
        final int r1 = 1 * aRowStep;
        final int r2 = 2 * aRowStep;
        final int r3 = 3 * aRowStep;
        final int r4 = 4 * aRowStep;
        final int r5 = 5 * aRowStep;
        final int r6 = 6 * aRowStep;
        final int r7 = 7 * aRowStep;
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        FloatVector c71 = FloatVector.zero(S);
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
            av = FloatVector.broadcast(S, pa[ai + r4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, pa[ai + r5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, pa[ai + r6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, pa[ai + r7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        if (mr == 8 && nr == NR) {
            if (add) {
                c00 = c00.add(FloatVector.fromArray(S, c, ci));
                c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
                c10 = c10.add(FloatVector.fromArray(S, c, ci + 1 * cRow));
                c11 = c11.add(FloatVector.fromArray(S, c, ci + 1 * cRow + L));
                c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * cRow));
                c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * cRow + L));
                c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * cRow));
                c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * cRow + L));
                c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * cRow));
                c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * cRow + L));
                c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * cRow));
                c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * cRow + L));
                c60 = c60.add(FloatVector.fromArray(S, c, ci + 6 * cRow));
                c61 = c61.add(FloatVector.fromArray(S, c, ci + 6 * cRow + L));
                c70 = c70.add(FloatVector.fromArray(S, c, ci + 7 * cRow));
                c71 = c71.add(FloatVector.fromArray(S, c, ci + 7 * cRow + L));
            }
            c00.intoArray(c, ci);
            c01.intoArray(c, ci + L);
            c10.intoArray(c, ci + 1 * cRow);
            c11.intoArray(c, ci + 1 * cRow + L);
            c20.intoArray(c, ci + 2 * cRow);
            c21.intoArray(c, ci + 2 * cRow + L);
            c30.intoArray(c, ci + 3 * cRow);
            c31.intoArray(c, ci + 3 * cRow + L);
            c40.intoArray(c, ci + 4 * cRow);
            c41.intoArray(c, ci + 4 * cRow + L);
            c50.intoArray(c, ci + 5 * cRow);
            c51.intoArray(c, ci + 5 * cRow + L);
            c60.intoArray(c, ci + 6 * cRow);
            c61.intoArray(c, ci + 6 * cRow + L);
            c70.intoArray(c, ci + 7 * cRow);
            c71.intoArray(c, ci + 7 * cRow + L);
            return;
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + L);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        storeTile(c, ci, cRow, mr, nr, add, tile);
    }

    /** {@link #kernel} with 6 x 2 vectors of C (AVX2: 12 of its 16 vector registers). */
    private static void kernel6(int kc, float[] pa, int ai, int aRowStep, int aStep, float[] pb, int bi, int bStep,
                               float[] c, int ci, int cRow, int mr, int nr, boolean add, float[] tile) {
        final int r1 = 1 * aRowStep;
        final int r2 = 2 * aRowStep;
        final int r3 = 3 * aRowStep;
        final int r4 = 4 * aRowStep;
        final int r5 = 5 * aRowStep;
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
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
            av = FloatVector.broadcast(S, pa[ai + r4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, pa[ai + r5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        if (mr == 6 && nr == NR) {
            if (add) {
                c00 = c00.add(FloatVector.fromArray(S, c, ci));
                c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
                c10 = c10.add(FloatVector.fromArray(S, c, ci + 1 * cRow));
                c11 = c11.add(FloatVector.fromArray(S, c, ci + 1 * cRow + L));
                c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * cRow));
                c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * cRow + L));
                c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * cRow));
                c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * cRow + L));
                c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * cRow));
                c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * cRow + L));
                c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * cRow));
                c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * cRow + L));
            }
            c00.intoArray(c, ci);
            c01.intoArray(c, ci + L);
            c10.intoArray(c, ci + 1 * cRow);
            c11.intoArray(c, ci + 1 * cRow + L);
            c20.intoArray(c, ci + 2 * cRow);
            c21.intoArray(c, ci + 2 * cRow + L);
            c30.intoArray(c, ci + 3 * cRow);
            c31.intoArray(c, ci + 3 * cRow + L);
            c40.intoArray(c, ci + 4 * cRow);
            c41.intoArray(c, ci + 4 * cRow + L);
            c50.intoArray(c, ci + 5 * cRow);
            c51.intoArray(c, ci + 5 * cRow + L);
            return;
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + L);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        storeTile(c, ci, cRow, mr, nr, add, tile);
    }
}
