package dev.striate.ir;

import java.util.List;

/** Global max or average pooling: {@code [C, H, W] -> [C]} (as Keras's GlobalAveragePooling2D). */
public record GlobalPool(Pool2d.Kind poolKind) implements Op {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitGlobalPool(this);
    }

    public String kind() {
        return poolKind == Pool2d.Kind.MAX ? "globalmaxpool" : "globalavgpool";
    }

    public Shape inferShape(List<Shape> inputs) throws ShapeException {
        return Shape.of(Op.requireMap(this, inputs.get(0)).channels());
    }

    @Override
    public long flops(List<Shape> inputs, Shape output) {
        return inputs.get(0).size();
    }

    public String describe() {
        return "";
    }
}
