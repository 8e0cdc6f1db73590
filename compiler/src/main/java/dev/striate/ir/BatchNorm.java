package dev.striate.ir;

import java.util.List;

/**
 * Batch normalization over channels (PyTorch's BatchNorm2d/1d): at inference
 * {@code y = (x - running_mean) / sqrt(running_var + epsilon) * weight + bias}.
 */
public record BatchNorm(float epsilon, float momentum) implements Op {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitBatchNorm(this);
    }

    public String kind() {
        return "batchnorm";
    }

    public Shape inferShape(List<Shape> inputs) {
        return inputs.get(0);
    }

    @Override
    public List<ParamSpec> params(List<Shape> inputs) {
        Shape c = Shape.of(inputs.get(0).channels());
        return List.of(new ParamSpec("weight", c, ParamSpec.Init.ONES),
                new ParamSpec("bias", c, ParamSpec.Init.ZEROS),
                new ParamSpec("running_mean", c, ParamSpec.Init.ZEROS),
                new ParamSpec("running_var", c, ParamSpec.Init.ONES));
    }

    @Override
    public long flops(List<Shape> inputs, Shape output) {
        return 2L * output.size();
    }

    public String describe() {
        return "epsilon=" + epsilon + ", momentum=" + momentum;
    }
}
