package dev.striate.passes;

import dev.striate.ir.ChannelAffineOp;
import dev.striate.ir.Normalize;
import dev.striate.ir.Op;
import dev.striate.ir.Rescale;
import java.util.ArrayList;
import java.util.List;

/**
 * A per-channel affine map {@code y = scale[c] * x + shift[c]} (in double), the common form of
 * the input ops {@code rescale} and {@code normalize} ({@link ChannelAffineOp}); composes and
 * turns back into one op.
 */
final class ChannelAffine {
    private final double[] scale;
    private final double[] shift;

    private ChannelAffine(double[] scale, double[] shift) {
        this.scale = scale;
        this.shift = shift;
    }

    /** The map {@code op} applies to a tensor of {@code channels} channels. */
    static ChannelAffine of(ChannelAffineOp op, int channels) {
        double[] a = new double[channels];
        double[] b = new double[channels];
        for (int c = 0; c < channels; c++) {
            a[c] = op.scaleOf(c);
            b[c] = op.shiftOf(c);
        }
        return new ChannelAffine(a, b);
    }

    int channels() {
        return scale.length;
    }

    double scale(int c) {
        return scale[c];
    }

    double shift(int c) {
        return shift[c];
    }

    /** True when every shift is zero: then zero inputs stay zero (padding commutes with the map). */
    boolean keepsZero() {
        for (double b : shift) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code then ∘ this}: apply this map, then {@code then}. */
    ChannelAffine andThen(ChannelAffine then) {
        double[] a = new double[channels()];
        double[] b = new double[channels()];
        for (int c = 0; c < a.length; c++) {
            a[c] = then.scale[c] * scale[c];
            b[c] = then.scale[c] * shift[c] + then.shift[c];
        }
        return new ChannelAffine(a, b);
    }

    /**
     * One op computing this map: a {@code rescale} when every channel has the same map, else a
     * {@code normalize}; null when no such op can express it (a zero scale on some channel).
     */
    Op toOp() {
        boolean uniform = true;
        for (int c = 1; c < channels(); c++) {
            uniform &= scale[c] == scale[0] && shift[c] == shift[0];
        }
        if (uniform) {
            return new Rescale((float) scale[0], (float) shift[0]);
        }
        List<Float> mean = new ArrayList<>();
        List<Float> std = new ArrayList<>();
        for (int c = 0; c < channels(); c++) {
            if (scale[c] == 0) {
                return null;
            }
            mean.add((float) (-shift[c] / scale[c]));
            std.add((float) (1.0 / scale[c]));
        }
        return new Normalize(mean, std);
    }
}
