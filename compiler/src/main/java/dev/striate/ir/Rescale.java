package dev.striate.ir;

import java.util.List;

/** Input rescaling {@code x * scale + offset}, e.g. {@code rescale(1/255)} for 8-bit pixels. */
public record Rescale(float scale, float offset) implements ChannelAffineOp {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitRescale(this);
    }

    public String kind() {
        return "rescale";
    }

    public Shape inferShape(List<Shape> inputs) {
        return inputs.get(0);
    }

    @Override
    public double scaleOf(int c) {
        return scale;
    }

    @Override
    public double shiftOf(int c) {
        return offset;
    }

    public String describe() {
        return "scale=" + scale + (offset == 0f ? "" : ", offset=" + offset);
    }
}
