package dev.striate.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Winograd}'s tile transforms on {@code jdk.incubator.vector}, channels in lanes: the same adds and
 * subtractions in the same order as its plain loops ({@link Winograd#tileIn}, {@link Winograd#tileOut}), so
 * the two give the same bits; each returns how many channels it did (whole vectors), the plain loop does
 * the rest. C2 does not vectorize the plain loops (16 stores into one array per channel), and they took
 * about half the time of a 14x14 layer. Loaded only when the module is present.
 */
final class VectorWinograd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorWinograd() {
    }

    /**
     * {@link Winograd#tileIn} for the channels of whole vectors; returns their count. In two passes of small
     * loops ({@code B^T d} a column at a time into V, then {@code (B^T d) B} a row at a time in place): written as
     * one loop of 48 vector operations, C2 on JDK 17 left part of it unintrinsified inside the trainer (boxed
     * vectors, 3-5 MB per layer call).
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

    /** {@link Winograd#tileOut} for the channels of whole vectors; returns their count. */
    static int tileOut(float[] m, int e, int step, int co, float[] bias, float[] out, int o0, int below) {
        int body = S.loopBound(co);
        int o1 = o0 + co;
        int o2 = o0 + below;
        int o3 = o2 + co;
        for (int o = 0; o < body; o += S.length()) {
            FloatVector m4 = FloatVector.fromArray(S, m, 4 * step + e + o);
            FloatVector m5 = FloatVector.fromArray(S, m, 5 * step + e + o);
            FloatVector m6 = FloatVector.fromArray(S, m, 6 * step + e + o);
            FloatVector m7 = FloatVector.fromArray(S, m, 7 * step + e + o);
            FloatVector m8 = FloatVector.fromArray(S, m, 8 * step + e + o);
            FloatVector m9 = FloatVector.fromArray(S, m, 9 * step + e + o);
            FloatVector m10 = FloatVector.fromArray(S, m, 10 * step + e + o);
            FloatVector m11 = FloatVector.fromArray(S, m, 11 * step + e + o);
            FloatVector s00 = FloatVector.fromArray(S, m, e + o).add(m4).add(m8);
            FloatVector s01 = FloatVector.fromArray(S, m, step + e + o).add(m5).add(m9);
            FloatVector s02 = FloatVector.fromArray(S, m, 2 * step + e + o).add(m6).add(m10);
            FloatVector s03 = FloatVector.fromArray(S, m, 3 * step + e + o).add(m7).add(m11);
            FloatVector s10 = m4.sub(m8).sub(FloatVector.fromArray(S, m, 12 * step + e + o));
            FloatVector s11 = m5.sub(m9).sub(FloatVector.fromArray(S, m, 13 * step + e + o));
            FloatVector s12 = m6.sub(m10).sub(FloatVector.fromArray(S, m, 14 * step + e + o));
            FloatVector s13 = m7.sub(m11).sub(FloatVector.fromArray(S, m, 15 * step + e + o));
            FloatVector b = FloatVector.fromArray(S, bias, o);
            s00.add(s01).add(s02).add(b).intoArray(out, o0 + o);
            s01.sub(s02).sub(s03).add(b).intoArray(out, o1 + o);
            s10.add(s11).add(s12).add(b).intoArray(out, o2 + o);
            s11.sub(s12).sub(s13).add(b).intoArray(out, o3 + o);
        }
        return body;
    }
}
