package dev.striate.ir;

import dev.striate.diag.ErrorCode;
import java.util.List;

/** Element-wise sum of two or more tensors of the same shape (residual connections). */
public record Add() implements Op {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitAdd(this);
    }

    public String kind() {
        return "add";
    }

    @Override
    public int arity() {
        return VARIADIC;
    }

    public Shape inferShape(List<Shape> inputs) throws ShapeException {
        Shape first = inputs.get(0);
        for (Shape s : inputs) {
            if (!s.equals(first)) {
                ErrorCode code = s.rank() == first.rank() && s.rank() == 3 && s.channels() != first.channels()
                        ? ErrorCode.CHANNEL_MISMATCH : ErrorCode.SHAPE_MISMATCH;
                throw new ShapeException(code, "add needs inputs of one shape, got " + first + " and " + s);
            }
        }
        return first;
    }

    @Override
    public long flops(List<Shape> inputs, Shape output) {
        return (long) (inputs.size() - 1) * output.size();
    }

    public String describe() {
        return "";
    }
}
