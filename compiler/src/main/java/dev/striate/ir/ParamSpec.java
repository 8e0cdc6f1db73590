package dev.striate.ir;

/**
 * A learned tensor an op needs, e.g. {@code weight [32, 1, 3, 3]}. The weights file keys it as
 * {@code <layer name>.<name>}, with PyTorch's {@code state_dict} names and layouts.
 */
public record ParamSpec(String name, Shape shape, Init init) {

    /** How {@code striate init} fills the tensor before training. */
    public enum Init {
        /** He (Kaiming) uniform: layers followed by a ReLU-family activation. */
        HE,
        /** Glorot (Xavier) uniform: every other weight. */
        GLOROT,
        ZEROS,
        ONES
    }
}
