package dev.striate.ir;

import java.util.List;

/** A model input of a fixed shape (one image, no batch dimension). */
public record Input(Shape shape) implements Op {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitInput(this);
    }

    public String kind() {
        return "input";
    }

    @Override
    public int arity() {
        return 0;
    }

    public Shape inferShape(List<Shape> inputs) {
        return shape;
    }

    @Override
    public long flops(List<Shape> inputs, Shape output) {
        return 0;
    }

    public String describe() {
        return shape.toString();
    }
}
