package dev.striate.ir;

import java.util.List;

/** {@code [C, H, W] -> [C*H*W]} in PyTorch (channel-major) order. */
public record Flatten() implements Op {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitFlatten(this);
    }

    public String kind() {
        return "flatten";
    }

    public Shape inferShape(List<Shape> inputs) {
        return Shape.of(inputs.get(0).size());
    }

    @Override
    public long flops(List<Shape> inputs, Shape output) {
        return 0;
    }

    @Override
    public boolean isIdentityOn(Shape in) {
        return in.rank() == 1;
    }

    /** A view in inference and in training: the flat vector is the channel-major map's storage. */
    @Override
    public boolean isTrainingView() {
        return true;
    }

    public String describe() {
        return "";
    }
}
