package dev.striate.ir;

import java.util.List;

/** Drops each element with probability {@code rate} in training (scaling the rest); identity at inference. */
public record Dropout(float rate) implements Op {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitDropout(this);
    }

    public String kind() {
        return "dropout";
    }

    public Shape inferShape(List<Shape> inputs) {
        return inputs.get(0);
    }

    @Override
    public long flops(List<Shape> inputs, Shape output) {
        return 0;
    }

    @Override
    public boolean isIdentityOn(Shape in) {
        return rate == 0f;
    }

    /** A view in inference only (the identity there); training applies a random mask. */
    @Override
    public boolean isInferenceView() {
        return true;
    }

    public String describe() {
        return "rate=" + rate;
    }
}
