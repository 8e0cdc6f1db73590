package dev.striate.ir;

import java.util.List;

/**
 * Untied (per-position) bias: {@code out = in + bias}, with a learned bias of the input's whole
 * shape, one value per channel and position (the AlphaGo policy net's last layer has one for
 * each of the 19x19 points). Its parameter {@code bias} starts at zero.
 */
public record UntiedBias() implements Op {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitUntiedBias(this);
    }

    public String kind() {
        return "untied_bias";
    }

    public Shape inferShape(List<Shape> inputs) {
        return inputs.get(0);
    }

    @Override
    public List<ParamSpec> params(List<Shape> inputs) {
        return List.of(new ParamSpec("bias", inputs.get(0), ParamSpec.Init.ZEROS));
    }

    public String describe() {
        return "";
    }
}
