package dev.striate.ir;

import dev.striate.diag.ErrorCode;
import java.util.List;

/**
 * Maxout over channels: channel {@code j} of the output is the max of input channels
 * {@code j*pieces .. j*pieces + pieces - 1}; {@code [C, ...] -> [C/pieces, ...]}.
 */
public record Maxout(int pieces) implements Op {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitMaxout(this);
    }

    public String kind() {
        return "maxout";
    }

    public Shape inferShape(List<Shape> inputs) throws ShapeException {
        Shape in = inputs.get(0);
        if (in.channels() % pieces != 0) {
            throw new ShapeException(ErrorCode.NOT_DIVISIBLE,
                    "maxout: " + in.channels() + " channels cannot be split into groups of " + pieces);
        }
        int[] d = in.dims();
        d[0] /= pieces;
        return Shape.of(d);
    }

    @Override
    public long flops(List<Shape> inputs, Shape output) {
        return inputs.get(0).size();
    }

    public String describe() {
        return "pieces=" + pieces;
    }
}
