package dev.striate.examples;

import org.junit.jupiter.api.Test;

/** The generated example classifiers agree with PyTorch on the reference fixtures' inputs. */
class GoldenModelsTest {
    @Test
    void lenet5() {
        Golden.load("lenet5").check(Lenet5.load()::predict);
    }

    @Test
    void kerasMnistCnn() {
        Golden.load("mnist_cnn").check(MnistCnn.load()::predict);
    }

    @Test
    void tinyResidualNet() {
        Golden.load("tiny_resnet").check(TinyResnet.load()::predict);
    }
}
