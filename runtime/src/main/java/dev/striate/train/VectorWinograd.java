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
     * {@link WinogradTransforms#tileIn} for the channels of whole vectors; returns their count. A loop per row of the
     * result ({@link #patchRow}: 8 loads, 4 stores per vector of channels): written as one loop of 48 vector
     * operations, C2 on JDK 17 left part of it unintrinsified inside the trainer (boxed vectors, 3-5 MB per layer
     * call). Until session 18 it ran as two passes through V (a column of {@code B^T d} at a time, then each row in
     * place: 32 loads and 32 stores per vector of channels, against 32 and 16 now; the tiles alone 0.7-0.8x the time).
     */
    static int tileIn(float[] pad, int b0, int pix, int ci, float[] v, int e, int step) {
        int body = S.loopBound(ci);
        // rows of B^T d: d0 - d2, d1 + d2, d2 - d1, d1 - d3
        patchRow(pad, b0, b0 + 2 * pix, false, ci, body, v, e, step);
        patchRow(pad, b0 + pix, b0 + 2 * pix, true, ci, body, v, e + 4 * step, step);
        patchRow(pad, b0 + 2 * pix, b0 + pix, false, ci, body, v, e + 8 * step, step);
        patchRow(pad, b0 + pix, b0 + 3 * pix, false, ci, body, v, e + 12 * step, step);
        return body;
    }

    /**
     * One row of {@code (B^T d) B}: the patch row {@code a = dx + dy} (or {@code dx - dy}) of the rows at {@code x} and
     * {@code y} (pixels {@code ci} apart), then {@code a0 - a2, a1 + a2, a2 - a1, a1 - a3} into {@code v[to + j * step]}.
     */
    private static void patchRow(float[] pad, int x, int y, boolean plus, int ci, int body, float[] v, int to, int step) {
        for (int c = 0; c < body; c += S.length()) {
            FloatVector x0 = FloatVector.fromArray(S, pad, x + c);
            FloatVector x1 = FloatVector.fromArray(S, pad, x + ci + c);
            FloatVector x2 = FloatVector.fromArray(S, pad, x + 2 * ci + c);
            FloatVector x3 = FloatVector.fromArray(S, pad, x + 3 * ci + c);
            FloatVector y0 = FloatVector.fromArray(S, pad, y + c);
            FloatVector y1 = FloatVector.fromArray(S, pad, y + ci + c);
            FloatVector y2 = FloatVector.fromArray(S, pad, y + 2 * ci + c);
            FloatVector y3 = FloatVector.fromArray(S, pad, y + 3 * ci + c);
            FloatVector a0 = plus ? x0.add(y0) : x0.sub(y0);
            FloatVector a1 = plus ? x1.add(y1) : x1.sub(y1);
            FloatVector a2 = plus ? x2.add(y2) : x2.sub(y2);
            FloatVector a3 = plus ? x3.add(y3) : x3.sub(y3);
            a0.sub(a2).intoArray(v, to + c);
            a1.add(a2).intoArray(v, to + step + c);
            a2.sub(a1).intoArray(v, to + 2 * step + c);
            a1.sub(a3).intoArray(v, to + 3 * step + c);
        }
    }

    /**
     * {@link WinogradTransforms#tileGradient} for the channels of whole vectors; returns their count. In two passes of
     * small loops, as {@link #tileIn}: {@code A dY} a column at a time (taps of {@code L} planes gathered, {@code map}
     * from {@link #lanesApart}) into the rows 0 and 1 of each row of M, then each row's {@code (A dY) A^T} in place.
     */
    static int tileGradient(float[] dz, int p, int plane, int ow, boolean down, boolean right, int f, int[] map,
                            float[] m, int e, int step) {
        int body = S.loopBound(f);
        columnGradient(dz, p, plane, ow, down, true, body, map, m, e, step);
        columnGradient(dz, p + 1, plane, ow, down, right, body, map, m, e + step, step);
        for (int r = 0; r < 4; r++) {
            rowGradient(m, e + 4 * r * step, step, body);
        }
        return body;
    }

    /**
     * Gather distances {@code 0, apart, 2 apart, ...} (one per lane) into {@code map}, or a new array when it is too
     * short: one plane per lane for {@link #tileGradient}; for {@link #weights}, filters {@code 9 ins} floats apart
     * ({@code w[o][i]}, o in lanes) or, turned, 9 ({@code w[i][o]}).
     */
    static int[] lanesApart(int[] map, int apart) {
        int[] lanes = map.length < S.length() ? new int[S.length()] : map;
        for (int l = 0; l < S.length(); l++) {
            lanes[l] = apart * l;
        }
        return lanes;
    }

    /**
     * {@code A dY} of one column of the tile's gradient (taps {@code dz[at + o * plane]} and {@code + ow} below it,
     * zero where {@code here} or {@code down} is false): {@code y0}, {@code y0 + y1}, {@code y0 - y1}, {@code -y1}
     * into {@code m[to + 4 r * step + o]}.
     */
    private static void columnGradient(float[] dz, int at, int plane, int ow, boolean down, boolean here, int body,
                                       int[] map, float[] m, int to, int step) {
        FloatVector zero = FloatVector.zero(S);
        for (int o = 0; o < body; o += S.length()) {
            FloatVector y0 = here ? FloatVector.fromArray(S, dz, at + o * plane, map, 0) : zero;
            FloatVector y1 = here && down ? FloatVector.fromArray(S, dz, at + ow + o * plane, map, 0) : zero;
            y0.intoArray(m, to + o);
            y0.add(y1).intoArray(m, to + 4 * step + o);
            y0.sub(y1).intoArray(m, to + 8 * step + o);
            y1.neg().intoArray(m, to + 12 * step + o);
        }
    }

    /** {@code (A dY) A^T} of one row in place: {@code b0}, {@code b0 + b1}, {@code b0 - b1}, {@code -b1} from {@code b0, b1} at {@code at}, {@code at + step}. */
    private static void rowGradient(float[] m, int at, int step, int body) {
        for (int o = 0; o < body; o += S.length()) {
            FloatVector b0 = FloatVector.fromArray(S, m, at + o);
            FloatVector b1 = FloatVector.fromArray(S, m, at + step + o);
            b0.add(b1).intoArray(m, at + step + o);
            b0.sub(b1).intoArray(m, at + 2 * step + o);
            b1.neg().intoArray(m, at + 3 * step + o);
        }
    }

    /**
     * {@link WinogradTransforms#transformWeights} of one row {@code i} of U for the outputs of whole vectors; returns
     * their count. The taps of {@code L} filters are gathered a column of the 3x3 kernel at a time ({@code map}: the
     * lanes' distances in {@code wt}, see {@link #lanesApart}), {@code T = G g} goes to the scratch {@code t}
     * ({@code 12 L} floats), then each row of {@code U = T G^T} into the packed U, where a vector's lanes are
     * consecutive ({@code NR} is two vectors). The same adds and multiplies in the same order as the plain loop,
     * so the same bits; small methods, as {@link #tileIn}.
     */
    static int weights(float[] wt, int i, int ins, int outs, boolean turned, float[] u, int step, float[] t, int[] map) {
        int body = S.loopBound(outs);
        int d = turned ? -1 : 1;
        for (int o = 0; o < body; o += S.length()) {
            int k0 = turned ? (i * outs + o) * 9 + 8 : (o * ins + i) * 9;
            for (int k = 0; k < 3; k++) {
                weightColumn(wt, k0 + d * k, 3 * d, map, t, k * S.length());
            }
            int e = VectorGemm.packedIndex(ins, outs, i, o);
            for (int r = 0; r < 4; r++) {
                weightRow(t, 3 * r * S.length(), u, e + 4 * r * step, step);
            }
        }
        return body;
    }

    /** {@code T = G g} of one kernel column: taps {@code at}, {@code at + next}, {@code at + 2 next}; rows {@code 3 L} apart in t. */
    private static void weightColumn(float[] wt, int at, int next, int[] map, float[] t, int to) {
        FloatVector g0 = FloatVector.fromArray(S, wt, at, map, 0);
        FloatVector g1 = FloatVector.fromArray(S, wt, at + next, map, 0);
        FloatVector g2 = FloatVector.fromArray(S, wt, at + 2 * next, map, 0);
        int row = 3 * S.length();
        g0.intoArray(t, to);
        g0.add(g1).add(g2).mul(0.5f).intoArray(t, to + row);
        g0.sub(g1).add(g2).mul(0.5f).intoArray(t, to + 2 * row);
        g2.intoArray(t, to + 3 * row);
    }

    /** One row of {@code U = T G^T}: {@code t0}, {@code (t0 + t1 + t2) / 2}, {@code (t0 - t1 + t2) / 2}, {@code t2}. */
    private static void weightRow(float[] t, int at, float[] u, int e, int step) {
        FloatVector t0 = FloatVector.fromArray(S, t, at);
        FloatVector t1 = FloatVector.fromArray(S, t, at + S.length());
        FloatVector t2 = FloatVector.fromArray(S, t, at + 2 * S.length());
        t0.intoArray(u, e);
        t0.add(t1).add(t2).mul(0.5f).intoArray(u, e + step);
        t0.sub(t1).add(t2).mul(0.5f).intoArray(u, e + 2 * step);
        t2.intoArray(u, e + 3 * step);
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
