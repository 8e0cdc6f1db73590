package dev.striate.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Winograd}'s tile transforms on {@code jdk.incubator.vector}, channels in lanes: the same adds and
 * subtractions in the same order as its plain loops ({@link WinogradTransforms#tileIn},
 * {@link WinogradTransforms#tileOut}), so the two give the same bits; each returns how many channels it did
 * (whole vectors), the plain loop does the rest. C2 does not vectorize the plain loops (16 stores into one array
 * per channel), and they took about half the time of a 14x14 layer. Loaded only when the module is present.
 */
final class VectorWinograd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorWinograd() {
    }

    /**
     * {@link WinogradTransforms#tileIn} for the channels of whole vectors; returns their count. In two passes of
     * small loops ({@code B^T d} a column at a time into V, then {@code (B^T d) B} a row at a time in place):
     * written as one loop of 48 vector operations, C2 on JDK 17 left part of it unintrinsified inside the trainer
     * (boxed vectors, 3-5 MB per layer call).
     */
    static int tileIn(float[] pad, int b0, int pix, int ci, float[] v, int e, int step) {
        int body = S.loopBound(ci);
        for (int j = 0; j < 4; j++) {
            columnIn(pad, b0 + j * ci, pix, body, v, e + j * step, 4 * step);
        }
        for (int i = 0; i < 4; i++) {
            rowIn(v, e + 4 * i * step, step, body);
        }
        return body;
    }

    /** {@code B^T d} of one column of a patch (its rows from {@code at}, {@code pix} apart) into {@code v[to + i * rows]}. */
    private static void columnIn(float[] pad, int at, int pix, int body, float[] v, int to, int rows) {
        for (int c = 0; c < body; c += S.length()) {
            FloatVector d0 = FloatVector.fromArray(S, pad, at + c);
            FloatVector d1 = FloatVector.fromArray(S, pad, at + pix + c);
            FloatVector d2 = FloatVector.fromArray(S, pad, at + 2 * pix + c);
            FloatVector d3 = FloatVector.fromArray(S, pad, at + 3 * pix + c);
            d0.sub(d2).intoArray(v, to + c);
            d1.add(d2).intoArray(v, to + rows + c);
            d2.sub(d1).intoArray(v, to + 2 * rows + c);
            d1.sub(d3).intoArray(v, to + 3 * rows + c);
        }
    }

    /** {@code (B^T d) B} of one row in place: {@code v[at + j * step]}, {@code j = 0..3}. */
    private static void rowIn(float[] v, int at, int step, int body) {
        for (int c = 0; c < body; c += S.length()) {
            FloatVector a0 = FloatVector.fromArray(S, v, at + c);
            FloatVector a1 = FloatVector.fromArray(S, v, at + step + c);
            FloatVector a2 = FloatVector.fromArray(S, v, at + 2 * step + c);
            FloatVector a3 = FloatVector.fromArray(S, v, at + 3 * step + c);
            a0.sub(a2).intoArray(v, at + c);
            a1.add(a2).intoArray(v, at + step + c);
            a2.sub(a1).intoArray(v, at + 2 * step + c);
            a1.sub(a3).intoArray(v, at + 3 * step + c);
        }
    }

    /**
     * {@link WinogradTransforms#tileOut} for the channels of whole vectors; returns their count. In two passes of
     * small loops, as {@link #tileIn}: {@code A^T M} a column at a time in place of M's first two rows, then each
     * output row.
     */
    static int tileOut(float[] m, int e, int step, int co, float[] bias, float[] out, int o0, int below) {
        int body = S.loopBound(co);
        for (int j = 0; j < 4; j++) {
            columnOut(m, e + j * step, 4 * step, body);
        }
        rowOut(m, e, step, body, bias, out, o0, o0 + co);
        rowOut(m, e + 4 * step, step, body, bias, out, o0 + below, o0 + below + co);
        return body;
    }

    /** {@code A^T M} of one column in place: {@code m0 + m1 + m2} and {@code m1 - m2 - m3} into its first two rows. */
    private static void columnOut(float[] m, int at, int rows, int body) {
        for (int c = 0; c < body; c += S.length()) {
            FloatVector m0 = FloatVector.fromArray(S, m, at + c);
            FloatVector m1 = FloatVector.fromArray(S, m, at + rows + c);
            FloatVector m2 = FloatVector.fromArray(S, m, at + 2 * rows + c);
            FloatVector m3 = FloatVector.fromArray(S, m, at + 3 * rows + c);
            m0.add(m1).add(m2).intoArray(m, at + c);
            m1.sub(m2).sub(m3).intoArray(m, at + rows + c);
        }
    }

    /** One output row of a tile: {@code s0 + s1 + s2 + b} and {@code s1 - s2 - s3 + b} into {@code out[left]}, {@code out[right]}. */
    private static void rowOut(float[] m, int at, int step, int body, float[] bias, float[] out, int left, int right) {
        for (int c = 0; c < body; c += S.length()) {
            FloatVector s0 = FloatVector.fromArray(S, m, at + c);
            FloatVector s1 = FloatVector.fromArray(S, m, at + step + c);
            FloatVector s2 = FloatVector.fromArray(S, m, at + 2 * step + c);
            FloatVector s3 = FloatVector.fromArray(S, m, at + 3 * step + c);
            FloatVector b = FloatVector.fromArray(S, bias, c);
            s0.add(s1).add(s2).add(b).intoArray(out, left + c);
            s1.sub(s2).sub(s3).add(b).intoArray(out, right + c);
        }
    }
}
