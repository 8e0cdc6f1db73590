package dev.striate.ir;

/** Which initializer a layer's weight gets: He before ReLU-like activations, Glorot otherwise. */
final class Inits {
    private Inits() {
    }

    static ParamSpec.Init forWeight(Activation activation) {
        return activation instanceof Activation.Relu || activation instanceof Activation.LeakyRelu
                || activation instanceof Activation.Elu ? ParamSpec.Init.HE : ParamSpec.Init.GLOROT;
    }
}
