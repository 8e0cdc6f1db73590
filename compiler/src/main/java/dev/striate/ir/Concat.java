package dev.striate.ir;

import dev.striate.diag.ErrorCode;
import java.util.List;

/** Concatenation along channels; feature maps must agree on height and width. */
public record Concat() implements Op {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitConcat(this);
    }

    public String kind() {
        return "concat";
    }

    @Override
    public int arity() {
        return VARIADIC;
    }

    public Shape inferShape(List<Shape> inputs) throws ShapeException {
        Shape first = inputs.get(0);
        int channels = 0;
        for (Shape s : inputs) {
            if (s.rank() != first.rank()) {
                throw new ShapeException(ErrorCode.WRONG_RANK, "concat needs inputs of one rank, got " + first + " and " + s);
            }
            if (s.rank() == 3 && (s.height() != first.height() || s.width() != first.width())) {
                throw new ShapeException(ErrorCode.SHAPE_MISMATCH, "concat joins channels, so heights and widths must"
                        + " match: got " + first + " and " + s);
            }
            channels = Math.addExact(channels, s.channels());
        }
        int[] d = first.dims();
        d[0] = channels;
        return Shape.of(d);
    }

    @Override
    public long flops(List<Shape> inputs, Shape output) {
        return 0;
    }

    public String describe() {
        return "axis=channels";
    }
}
