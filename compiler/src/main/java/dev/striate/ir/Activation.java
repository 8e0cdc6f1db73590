package dev.striate.ir;

/**
 * A function applied after a layer. All but {@link Softmax} act element by element; softmax
 * normalizes over channels (per pixel for feature maps), as PyTorch's {@code softmax(dim=1)}.
 */
public sealed interface Activation {

    /** The name used in the language and in printed IR, e.g. {@code leaky_relu(0.2)}. */
    String display();

    /** True for functions of one element; softmax is not. */
    default boolean isElementwise() {
        return true;
    }

    record Identity() implements Activation {
        public String display() {
            return "linear";
        }
    }

    record Relu() implements Activation {
        public String display() {
            return "relu";
        }
    }

    /** {@code x > 0 ? x : alpha * x}; PyTorch's default slope is 0.01. */
    record LeakyRelu(float alpha) implements Activation {
        public String display() {
            return "leaky_relu(" + alpha + ")";
        }
    }

    /** {@code x > 0 ? x : alpha * (exp(x) - 1)}. */
    record Elu(float alpha) implements Activation {
        public String display() {
            return "elu(" + alpha + ")";
        }
    }

    record Sigmoid() implements Activation {
        public String display() {
            return "sigmoid";
        }
    }

    record Tanh() implements Activation {
        public String display() {
            return "tanh";
        }
    }

    record Softmax() implements Activation {
        public String display() {
            return "softmax";
        }

        @Override
        public boolean isElementwise() {
            return false;
        }
    }

    Activation IDENTITY = new Identity();
    Activation RELU = new Relu();
    Activation SIGMOID = new Sigmoid();
    Activation TANH = new Tanh();
    Activation SOFTMAX = new Softmax();

    default boolean isIdentity() {
        return this instanceof Identity;
    }
}
