package dev.striate.ir;

import dev.striate.diag.ErrorCode;
import java.util.List;

/** Sub-pixel rearrangement (PyTorch's PixelShuffle): {@code [C*r*r, H, W] -> [C, H*r, W*r]}. */
public record PixelShuffle(int factor) implements Op {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitPixelShuffle(this);
    }

    public String kind() {
        return "pixel_shuffle";
    }

    public Shape inferShape(List<Shape> inputs) throws ShapeException {
        Shape in = Op.requireMap(this, inputs.get(0));
        int r2 = Math.multiplyExact(factor, factor);
        if (in.channels() % r2 != 0) {
            throw new ShapeException(ErrorCode.NOT_DIVISIBLE,
                    "pixel_shuffle(" + factor + "): " + in.channels() + " channels is not a multiple of " + r2);
        }
        return Shape.chw(in.channels() / r2, Math.multiplyExact(in.height(), factor),
                Math.multiplyExact(in.width(), factor));
    }

    @Override
    public long flops(List<Shape> inputs, Shape output) {
        return 0;
    }

    public String describe() {
        return "factor=" + factor;
    }
}
