package dev.striate.ir;

import dev.striate.diag.ErrorCode;
import java.util.List;

/** Input normalization {@code (x - mean[c]) / std[c]}; one value, or one per channel. */
public record Normalize(List<Float> mean, List<Float> std) implements ChannelAffineOp {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitNormalize(this);
    }

    public Normalize {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
    }

    public String kind() {
        return "normalize";
    }

    public Shape inferShape(List<Shape> inputs) throws ShapeException {
        Shape in = inputs.get(0);
        for (List<Float> v : List.of(mean, std)) {
            if (v.size() != 1 && v.size() != in.channels()) {
                throw new ShapeException(ErrorCode.CHANNEL_MISMATCH, "normalize: give one value or one per channel ("
                        + in.channels() + "), not " + v.size());
            }
        }
        return in;
    }

    /** The mean for channel {@code c}. */
    public float meanOf(int c) {
        return mean.size() == 1 ? mean.get(0) : mean.get(c);
    }

    /** The standard deviation for channel {@code c}. */
    public float stdOf(int c) {
        return std.size() == 1 ? std.get(0) : std.get(c);
    }

    /** {@code 1 / std[c]}: {@code (x - mean) / std = x / std - mean / std}. */
    @Override
    public double scaleOf(int c) {
        return 1.0 / stdOf(c);
    }

    /** {@code -mean[c] / std[c]}. */
    @Override
    public double shiftOf(int c) {
        return -(double) meanOf(c) / stdOf(c);
    }

    public String describe() {
        return "mean=" + mean + ", std=" + std;
    }
}
