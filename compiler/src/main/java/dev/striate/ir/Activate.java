package dev.striate.ir;

import java.util.List;

/** A standalone activation layer, e.g. {@code -> relu} or {@code softmax}. */
public record Activate(Activation activation) implements Op {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitActivate(this);
    }

    public String kind() {
        return activation instanceof Activation.LeakyRelu ? "leaky_relu"
                : activation instanceof Activation.Elu ? "elu" : activation.display();
    }

    public Shape inferShape(List<Shape> inputs) {
        return inputs.get(0);
    }

    @Override
    public boolean isIdentityOn(Shape in) {
        return activation.isIdentity();
    }

    @Override
    public Activation appliedActivation() {
        return activation;
    }

    public String describe() {
        return activation instanceof Activation.LeakyRelu l ? "alpha=" + l.alpha()
                : activation instanceof Activation.Elu e ? "alpha=" + e.alpha() : "";
    }
}
