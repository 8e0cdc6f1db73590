package dev.striate.ir;

import java.util.List;

/**
 * Explicit zero padding of a {@code [C, H, W]} map (PyTorch's {@code F.pad} with zeros):
 * {@code [C, H, W] -> [C, top + H + bottom, left + W + right]}, the input in the interior and
 * zeros around it. The {@code MergePad} pass folds it into a following convolution.
 */
public record Pad(Padding.Explicit padding) implements Op {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitPad(this);
    }

    public String kind() {
        return "pad";
    }

    public Shape inferShape(List<Shape> inputs) throws ShapeException {
        Shape in = Op.requireMap(this, inputs.get(0));
        return Shape.chw(in.channels(), Math.toIntExact((long) padding.top() + in.height() + padding.bottom()),
                Math.toIntExact((long) padding.left() + in.width() + padding.right()));
    }

    @Override
    public long flops(List<Shape> inputs, Shape output) {
        return 0;
    }

    public String describe() {
        return "padding=" + padding;
    }
}
