package dev.striate.ir;

import dev.striate.diag.ErrorCode;
import java.util.List;

/** Fully connected layer: weight {@code [units, in]} (PyTorch's Linear), bias {@code [units]}, activation. */
public record Dense(int units, boolean bias, Activation activation) implements LinearLayer {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitDense(this);
    }

    public String kind() {
        return "dense";
    }

    public Shape inferShape(List<Shape> inputs) throws ShapeException {
        Shape in = inputs.get(0);
        if (in.rank() != 1) {
            throw new ShapeException(ErrorCode.WRONG_RANK,
                    "dense expects a flat input, got " + in + "; add 'flatten' before it");
        }
        return Shape.of(units);
    }

    @Override
    public List<ParamSpec> params(List<Shape> inputs) {
        ParamSpec w = new ParamSpec("weight", Shape.of(units, inputs.get(0).size()), Inits.forWeight(activation));
        return bias ? List.of(w, new ParamSpec("bias", Shape.of(units), ParamSpec.Init.ZEROS)) : List.of(w);
    }

    @Override
    public long flops(List<Shape> inputs, Shape output) {
        return 2L * inputs.get(0).size() * units + (bias ? units : 0);
    }

    public String describe() {
        return units + (bias ? "" : ", bias=false") + (activation.isIdentity() ? "" : ", activation=" + activation.display());
    }

    /** {@code [units, in]}: output unit first. */
    @Override
    public int outputChannelOf(int[] weightShape, int index) {
        return LinearLayer.leadingIndex(weightShape, index);
    }

    @Override
    public Dense withActivation(Activation a) {
        return new Dense(units, bias, a);
    }

    @Override
    public Dense withBias(boolean b) {
        return new Dense(units, b, activation);
    }
}
