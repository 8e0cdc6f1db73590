package dev.striate.ir;

import java.util.List;

/**
 * A conv2d (with its bias and activation) whose output goes straight into a pooling window, as
 * one op: made by the inference pass {@code FusePool} so the backend pools each output channel's
 * plane while it is still in scratch, instead of writing the conv's whole map to memory and
 * reading it back. The node keeps the conv's name, and the params are the conv's, so weights
 * keyed by the conv's name still bind.
 */
public record ConvPool(Conv2d conv, Pool2d pool) implements Op {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitConvPool(this);
    }

    public String kind() {
        return "conv2d+" + pool.kind();
    }

    public Shape inferShape(List<Shape> inputs) throws ShapeException {
        return pool.inferShape(List.of(conv.inferShape(inputs)));
    }

    /** The conv's output shape for this input shape (the pool's input). */
    public Shape convShape(Shape in) {
        try {
            return conv.inferShape(List.of(in));
        } catch (ShapeException e) {
            throw new IllegalStateException("conv2d+pool on an input that does not fit: " + e.getMessage(), e);
        }
    }

    @Override
    public List<ParamSpec> params(List<Shape> inputs) {
        return conv.params(inputs);
    }

    @Override
    public long flops(List<Shape> inputs, Shape output) {
        Shape mid = convShape(inputs.get(0));
        return Sizes.saturatingAdd(conv.flops(inputs, mid), pool.flops(List.of(mid), output));
    }

    public String describe() {
        return conv.describe() + "; " + pool.kind() + " " + pool.describe();
    }
}
