package dev.striate.train;

import static dev.striate.train.VectorGemm.MR;
import static dev.striate.train.VectorGemm.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorGemm}'s register-blocked micro-kernels: one {@code MR x NR} tile of C kept in vector registers
 * while the kernel runs down {@code k} (8 x 2 vectors on AVX-512, 6 x 2 on AVX2), each written out in full so
 * that no vector crosses a method call. Loaded only when the module is present.
 *
 * <p>A full tile is stored straight from the registers only when it replaces C; any other tile is stored to
 * {@code tile} (the same 16 stores, another array) and then added by {@link #addTile} or copied by
 * {@link #storeTile} (the same sums). The kernels once added C's vectors in registers and had a second set of
 * stores for {@code tile} (16 more loads, adds and stores in {@code kernel8}): that put {@code kernel8} past C2's
 * node-count cutoff for early inlining, the adds were inlined late, and in 2 JVMs of 100
 * ({@code tools/bench/TrainPhases.java examples/mnist/seed_cnn.cnn 32 20}, JDK 17, 2026-12-04) C2 had by then stopped
 * trusting exact vector classes (class-check traps in {@code VectorOperators.opCode}, counted once per inlined copy,
 * passed {@code PerMethodTrapLimit}): 8 of the stores were not intrinsified, every call boxed its vectors (190-250
 * MB allocated per conv layer call) and training ran 5x slower for the rest of the JVM's life.
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

    /**
     * Adds the full tile held in {@code tile} (rows of NR) to the first {@code rows} rows of C: per element
     * {@code t + c}, as the kernels once did in registers (the same bits).
     */
    private static void addTile(float[] c, int ci, int cRow, int rows, float[] tile) {
        for (int r = 0; r < rows; r++) {
            int row = ci + r * cRow;
            FloatVector.fromArray(S, tile, r * NR).add(FloatVector.fromArray(S, c, row)).intoArray(c, row);
            FloatVector.fromArray(S, tile, r * NR + L).add(FloatVector.fromArray(S, c, row + L)).intoArray(c, row + L);
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
        boolean direct = mr == 8 && nr == NR && !add;
        float[] d = direct ? c : tile;
        int d0 = direct ? ci : 0;
        int dRow = direct ? cRow : NR;
        c00.intoArray(d, d0);
        c01.intoArray(d, d0 + L);
        c10.intoArray(d, d0 + dRow);
        c11.intoArray(d, d0 + dRow + L);
        c20.intoArray(d, d0 + 2 * dRow);
        c21.intoArray(d, d0 + 2 * dRow + L);
        c30.intoArray(d, d0 + 3 * dRow);
        c31.intoArray(d, d0 + 3 * dRow + L);
        c40.intoArray(d, d0 + 4 * dRow);
        c41.intoArray(d, d0 + 4 * dRow + L);
        c50.intoArray(d, d0 + 5 * dRow);
        c51.intoArray(d, d0 + 5 * dRow + L);
        c60.intoArray(d, d0 + 6 * dRow);
        c61.intoArray(d, d0 + 6 * dRow + L);
        c70.intoArray(d, d0 + 7 * dRow);
        c71.intoArray(d, d0 + 7 * dRow + L);
        if (direct) {
            return;
        }
        if (mr == 8 && nr == NR) {
            addTile(c, ci, cRow, 8, tile);
            return;
        }
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
        boolean direct = mr == 6 && nr == NR && !add;
        float[] d = direct ? c : tile;
        int d0 = direct ? ci : 0;
        int dRow = direct ? cRow : NR;
        c00.intoArray(d, d0);
        c01.intoArray(d, d0 + L);
        c10.intoArray(d, d0 + dRow);
        c11.intoArray(d, d0 + dRow + L);
        c20.intoArray(d, d0 + 2 * dRow);
        c21.intoArray(d, d0 + 2 * dRow + L);
        c30.intoArray(d, d0 + 3 * dRow);
        c31.intoArray(d, d0 + 3 * dRow + L);
        c40.intoArray(d, d0 + 4 * dRow);
        c41.intoArray(d, d0 + 4 * dRow + L);
        c50.intoArray(d, d0 + 5 * dRow);
        c51.intoArray(d, d0 + 5 * dRow + L);
        if (direct) {
            return;
        }
        if (mr == 6 && nr == NR) {
            addTile(c, ci, cRow, 6, tile);
            return;
        }
        storeTile(c, ci, cRow, mr, nr, add, tile);
    }
}
