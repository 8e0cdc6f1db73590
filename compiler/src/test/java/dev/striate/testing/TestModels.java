package dev.striate.testing;

import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Flatten;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;

/** Representative models built from IR records with seeded random weights. */
public final class TestModels {
    private TestModels() {
    }

    static Conv2d conv(int filters, int k, Padding p, Activation a) {
        return new Conv2d(filters, k, k, 1, 1, p, 1, 1, 1, true, a);
    }

    static Pool2d maxpool(int k) {
        return new Pool2d(Pool2d.Kind.MAX, k, k, k, k, Padding.VALID, true);
    }

    /** The Keras MNIST CNN (93,322 parameters), labels "0".."9". */
    public static GraphBuilder mnistCnn(long seed) {
        GraphBuilder b = new GraphBuilder("SeedCnn", seed);
        String x = b.input("image", Shape.chw(1, 28, 28));
        x = b.add("conv2d_1", conv(32, 3, Padding.VALID, Activation.RELU), x);
        x = b.add("maxpool_1", maxpool(2), x);
        x = b.add("conv2d_2", conv(64, 3, Padding.VALID, Activation.RELU), x);
        x = b.add("maxpool_2", maxpool(2), x);
        x = b.add("conv2d_3", conv(64, 3, Padding.VALID, Activation.RELU), x);
        x = b.add("flatten_1", new Flatten(), x);
        x = b.add("dense_1", new Dense(64, true, Activation.RELU), x);
        x = b.add("dense_2", new Dense(10, true, Activation.SOFTMAX), x);
        b.labels("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        b.output(x);
        return b;
    }

    /** LeNet-5: 5x5 convolutions with tanh, average pooling, three dense layers. */
    public static GraphBuilder leNet5(long seed) {
        GraphBuilder b = new GraphBuilder("LeNet5", seed);
        String x = b.input("image", Shape.chw(1, 32, 32));
        x = b.add("c1", conv(6, 5, Padding.VALID, Activation.TANH), x);
        x = b.add("s2", new Pool2d(Pool2d.Kind.AVG, 2, 2, 2, 2, Padding.VALID, true), x);
        x = b.add("c3", conv(16, 5, Padding.VALID, Activation.TANH), x);
        x = b.add("s4", new Pool2d(Pool2d.Kind.AVG, 2, 2, 2, 2, Padding.VALID, true), x);
        x = b.add("flatten", new Flatten(), x);
        x = b.add("f5", new Dense(120, true, Activation.TANH), x);
        x = b.add("f6", new Dense(84, true, Activation.TANH), x);
        x = b.add("output", new Dense(10, true, Activation.SOFTMAX), x);
        b.output(x);
        return b;
    }

    /** The residual network of the design notes: conv, batch norm, add, global average pool. */
    public static GraphBuilder tinyResNet(long seed) {
        GraphBuilder b = new GraphBuilder("TinyResNet", seed);
        Padding same = new Padding.Same();
        String x = b.input("x", Shape.chw(3, 32, 32));
        String stem = b.add("stem", conv(16, 3, same, Activation.IDENTITY), x);
        stem = b.add("stem_bn", new BatchNorm(1e-5f, 0.1f), stem);
        stem = b.add("stem_relu", new dev.striate.ir.Activate(Activation.RELU), stem);
        String h = b.add("h1", conv(16, 3, same, Activation.IDENTITY), stem);
        h = b.add("h1_bn", new BatchNorm(1e-5f, 0.1f), h);
        h = b.add("h1_relu", new dev.striate.ir.Activate(Activation.RELU), h);
        h = b.add("h2", conv(16, 3, same, Activation.IDENTITY), h);
        h = b.add("h2_bn", new BatchNorm(1e-5f, 0.1f), h);
        String y = b.add("sum", new Add(), stem, h);
        y = b.add("sum_relu", new dev.striate.ir.Activate(Activation.RELU), y);
        y = b.add("gap", new GlobalPool(Pool2d.Kind.AVG), y);
        y = b.add("fc", new Dense(10, true, Activation.IDENTITY), y);
        y = b.add("probs", new dev.striate.ir.Activate(Activation.SOFTMAX), y);
        b.output(y);
        return b;
    }

    /** A wide model (2.4M weights): 7x7 and 5x5 kernels, 128 filters, 1000 labelled classes. */
    public static GraphBuilder big(long seed) {
        GraphBuilder b = new GraphBuilder("BigNet", seed);
        String x = b.input("image", Shape.chw(3, 64, 64));
        x = b.add("conv7", new Conv2d(32, 7, 7, 2, 2, new Padding.Same(), 1, 1, 1, true, Activation.RELU), x);
        x = b.add("conv5", new Conv2d(64, 5, 5, 1, 1, new Padding.Same(), 1, 1, 1, true, Activation.RELU), x);
        x = b.add("pool", new Pool2d(Pool2d.Kind.MAX, 3, 3, 2, 2, Padding.Explicit.of(1), true), x);
        x = b.add("conv3", new Conv2d(128, 3, 3, 1, 1, new Padding.Same(), 1, 1, 1, true, Activation.RELU), x);
        x = b.add("pool2", new Pool2d(Pool2d.Kind.MAX, 2, 2, 2, 2, Padding.VALID, true), x);
        x = b.add("flatten", new Flatten(), x);
        x = b.add("fc1", new Dense(256, true, Activation.RELU), x);
        x = b.add("fc2", new Dense(1000, true, Activation.SOFTMAX), x);
        String[] labels = new String[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = "class_" + i;
        }
        b.labels(labels);
        b.output(x);
        return b;
    }
}
