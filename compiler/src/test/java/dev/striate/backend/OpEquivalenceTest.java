package dev.striate.backend;

import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.Concat;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvTranspose2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Graph;
import dev.striate.ir.Maxout;
import dev.striate.ir.Normalize;
import dev.striate.ir.Pad;
import dev.striate.ir.Padding;
import dev.striate.ir.PixelShuffle;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Rescale;
import dev.striate.ir.Shape;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import dev.striate.testing.ReferenceInterpreter;
import dev.striate.testing.Tolerance;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op and variant: generate, compile with {@code --release 11}, run on seeded random inputs
 * and compare with the double-precision {@link ReferenceInterpreter} (atol 1e-5, rtol 1e-4).
 */
class OpEquivalenceTest {

    static Conv2d conv(int f, int k, int s, Padding p, int d, int g, boolean bias, Activation a) {
        return new Conv2d(f, k, k, s, s, p, d, d, g, bias, a);
    }

    static Conv2d conv(int f, int k, int s, int pad) {
        return conv(f, k, s, Padding.Explicit.of(pad), 1, 1, true, Activation.IDENTITY);
    }

    static final Padding SAME = new Padding.Same();

    /** A case: name, input shape and a function adding layers to the input and returning the output. */
    static Arguments c(String name, Shape in, Function<Chain, Object> body) {
        return Arguments.of(name, in, body);
    }

    static Stream<Arguments> cases() {
        Shape img = Shape.chw(3, 9, 8);
        Shape odd = Shape.chw(2, 7, 5);
        return Stream.of(
                c("conv 3x3 stride 1 pad 0", img, x -> x.then(conv(4, 3, 1, 0))),
                c("conv 3x3 stride 1 pad 1", img, x -> x.then(conv(4, 3, 1, 1))),
                c("conv 3x3 stride 2 pad 0", img, x -> x.then(conv(4, 3, 2, 0))),
                c("conv 3x3 stride 2 pad 1", img, x -> x.then(conv(4, 3, 2, 1))),
                c("conv 3x3 same", img, x -> x.then(conv(4, 3, 1, SAME, 1, 1, true, Activation.IDENTITY))),
                c("conv 3x3 same stride 2 even", Shape.chw(2, 8, 8),
                        x -> x.then(conv(3, 3, 2, SAME, 1, 1, true, Activation.IDENTITY))),
                c("conv 4x4 same stride 2 odd", odd, x -> x.then(conv(3, 4, 2, SAME, 1, 1, true, Activation.IDENTITY))),
                c("conv 2x2 same even kernel", odd, x -> x.then(conv(3, 2, 1, SAME, 1, 1, true, Activation.IDENTITY))),
                c("conv 5x5 pad 2 odd sizes", odd, x -> x.then(conv(3, 5, 1, 2))),
                c("conv 7x7 looped pad 3", Shape.chw(2, 10, 9), x -> x.then(conv(3, 7, 1, 3))),
                c("conv 7x7 looped stride 2 dilation 2 same", Shape.chw(2, 17, 15),
                        x -> x.then(conv(3, 7, 2, SAME, 2, 1, true, Activation.RELU))),
                c("conv 1x3 asymmetric kernel and padding", odd, x -> x.then(new Conv2d(3, 1, 3, 1, 2,
                        new Padding.Explicit(0, 1, 2, 1), 1, 1, 1, true, Activation.IDENTITY))),
                c("conv dilation 2", img, x -> x.then(conv(4, 3, 1, Padding.Explicit.of(2), 2, 1, true, Activation.IDENTITY))),
                c("conv groups 2", Shape.chw(4, 6, 6), x -> x.then(conv(6, 3, 1, Padding.Explicit.of(1), 1, 2, true,
                        Activation.IDENTITY))),
                c("conv depthwise", Shape.chw(4, 6, 7), x -> x.then(conv(4, 3, 1, Padding.Explicit.of(1), 1, 4, true,
                        Activation.IDENTITY))),
                c("conv depthwise multiplier 2 stride 2", Shape.chw(3, 7, 7),
                        x -> x.then(conv(6, 3, 2, Padding.Explicit.of(1), 1, 3, false, Activation.RELU))),
                c("conv bias off", img, x -> x.then(conv(4, 3, 1, Padding.Explicit.of(1), 1, 1, false, Activation.IDENTITY))),
                c("conv 1x1", img, x -> x.then(conv(5, 1, 1, 0))),
                // stride 1 and the output as wide as the input: each tap's row is one copied run (ConvUnfold.unfoldRuns)
                c("conv 3x3 same dilation 2, one run per tap", Shape.chw(2, 9, 8),
                        x -> x.then(conv(3, 3, 1, SAME, 2, 1, true, Activation.IDENTITY))),
                c("conv 5x1 top padding 4: taps wholly above the input", Shape.chw(2, 3, 4),
                        x -> x.then(new Conv2d(3, 5, 1, 1, 1, new Padding.Explicit(4, 0, 0, 0), 1, 1, 1, true,
                                Activation.IDENTITY))),
                c("conv 1x5 left padding 4: taps wholly left of the input", Shape.chw(2, 4, 3),
                        x -> x.then(new Conv2d(3, 1, 5, 1, 1, new Padding.Explicit(0, 0, 4, 0), 1, 1, 1, true,
                                Activation.IDENTITY))),
                c("conv 3x3 same in bands of 16 rows", Shape.chw(4, 64, 64),
                        x -> x.then(conv(3, 3, 1, SAME, 1, 1, true, Activation.RELU))),
                c("conv 3x3 same blocked, bands of 26 rows and a last of 9", Shape.chw(8, 61, 61),
                        x -> x.then(conv(8, 3, 1, SAME, 1, 1, true, Activation.IDENTITY))),
                c("conv depthwise 3x3 same", Shape.chw(5, 12, 10),
                        x -> x.then(conv(5, 3, 1, SAME, 1, 5, true, Activation.RELU))),
                c("conv padding wider than the kernel", odd, x -> x.then(conv(2, 1, 1, 2))),
                c("conv 3x3 on a 1x1 map with padding 1", Shape.chw(4, 1, 1), x -> x.then(conv(3, 3, 1, 1))),
                c("conv stride 3 leaves input rows unread", Shape.chw(2, 10, 11), x -> x.then(conv(3, 2, 3, 0))),
                c("conv in bands of 20 output rows, pad 1", Shape.chw(8, 40, 30),
                        x -> x.then(conv(4, 3, 1, Padding.Explicit.of(1), 1, 1, true, Activation.RELU))),
                c("conv in bands of 13 output rows, groups 2", Shape.chw(64, 26, 9),
                        x -> x.then(conv(8, 3, 1, Padding.Explicit.of(1), 1, 2, true, Activation.IDENTITY))),
                c("conv in bands of one row (prime height), stride 2", Shape.chw(32, 57, 16),
                        x -> x.then(conv(3, 3, 2, Padding.Explicit.of(1), 1, 1, false, Activation.IDENTITY))),
                c("conv blocked product in bands of 10 rows", Shape.chw(64, 40, 30),
                        x -> x.then(conv(4, 3, 1, Padding.Explicit.of(1), 1, 1, true, Activation.RELU))),
                c("conv blocked product, bands of 22 rows and a last of 1", Shape.chw(64, 23, 20),
                        x -> x.then(conv(8, 3, 1, Padding.Explicit.of(1), 1, 1, true, Activation.RELU))),
                c("conv blocked product, 2 channels and 1 row left over, elu", Shape.chw(57, 9, 8),
                        x -> x.then(conv(6, 3, 1, Padding.VALID, 1, 1, true, new Activation.Elu(0.7f)))),
                c("conv 3x3 plane of 9 pixels in locals, tanh", Shape.chw(5, 5, 5),
                        x -> x.then(conv(6, 3, 1, Padding.VALID, 1, 1, true, Activation.TANH))),
                c("conv channel-major product, groups 2, no bias, relu", Shape.chw(4, 5, 5),
                        x -> x.then(conv(16, 3, 1, Padding.VALID, 1, 2, false, Activation.RELU))),
                c("conv channel-major product, 3 rows left over", Shape.chw(3, 4, 4),
                        x -> x.then(conv(9, 3, 1, Padding.Explicit.of(0), 1, 1, true, Activation.SIGMOID))),
                c("conv channel-major product in bands of 3 rows", Shape.chw(640, 6, 2),
                        x -> x.then(conv(8, 3, 1, Padding.Explicit.of(1), 1, 1, true, Activation.IDENTITY))),
                c("conv relu", img, x -> x.then(conv(4, 3, 1, Padding.VALID, 1, 1, true, Activation.RELU))),
                c("conv leaky_relu", img, x -> x.then(conv(4, 3, 1, Padding.VALID, 1, 1, true, new Activation.LeakyRelu(0.2f)))),
                c("conv elu", img, x -> x.then(conv(4, 3, 1, Padding.VALID, 1, 1, true, new Activation.Elu(1.5f)))),
                c("conv sigmoid", img, x -> x.then(conv(4, 3, 1, Padding.VALID, 1, 1, true, Activation.SIGMOID))),
                c("conv tanh", img, x -> x.then(conv(4, 3, 1, Padding.VALID, 1, 1, true, Activation.TANH))),
                c("conv softmax over channels per pixel", img,
                        x -> x.then(conv(4, 3, 1, Padding.VALID, 1, 1, true, Activation.SOFTMAX))),
                c("conv_transpose stride 2", Shape.chw(3, 4, 5), x -> x.then(tconv(4, 3, 2, 0, 0, 1, 1, true))),
                c("conv_transpose stride 2 pad 1 output_padding 1", Shape.chw(3, 4, 5),
                        x -> x.then(tconv(4, 3, 2, 1, 1, 1, 1, true))),
                c("conv_transpose stride 1 pad 1", Shape.chw(2, 5, 4), x -> x.then(tconv(3, 3, 1, 1, 0, 1, 1, true))),
                c("conv_transpose dilation 2 groups 2 no bias", Shape.chw(4, 4, 4),
                        x -> x.then(tconv(6, 3, 2, 1, 1, 2, 2, false))),
                c("conv_transpose padding 2 crops every side", Shape.chw(2, 5, 5),
                        x -> x.then(tconv(3, 3, 1, 2, 0, 1, 1, true))),
                c("conv_transpose 1x1 stride 2 output_padding 1", Shape.chw(2, 3, 3),
                        x -> x.then(tconv(2, 1, 2, 0, 1, 1, 1, true))),
                c("conv_transpose 7x7 looped stride 3", Shape.chw(2, 3, 4),
                        x -> x.then(new ConvTranspose2d(3, 7, 7, 3, 3, 2, 2, 1, 2, 1, 1, 1, true, Activation.TANH))),
                c("maxpool 2", img, x -> x.then(new Pool2d(Pool2d.Kind.MAX, 2, 2, 2, 2, Padding.VALID, true))),
                c("maxpool 3 stride 2 pad 1", odd, x -> x.then(new Pool2d(Pool2d.Kind.MAX, 3, 3, 2, 2, Padding.Explicit.of(1), true))),
                c("maxpool 2 same odd", odd, x -> x.then(new Pool2d(Pool2d.Kind.MAX, 2, 2, 2, 2, SAME, true))),
                c("maxpool 6x6 looped", Shape.chw(2, 13, 12), x -> x.then(new Pool2d(Pool2d.Kind.MAX, 6, 6, 3, 3, Padding.VALID, true))),
                c("avgpool 2", img, x -> x.then(new Pool2d(Pool2d.Kind.AVG, 2, 2, 2, 2, Padding.VALID, true))),
                c("avgpool 3 pad 1 count_include_pad", odd,
                        x -> x.then(new Pool2d(Pool2d.Kind.AVG, 3, 3, 2, 2, Padding.Explicit.of(1), true))),
                c("avgpool 3 pad 1 exclude pad", odd,
                        x -> x.then(new Pool2d(Pool2d.Kind.AVG, 3, 3, 2, 2, Padding.Explicit.of(1), false))),
                c("avgpool 3 same stride 1 exclude pad", odd,
                        x -> x.then(new Pool2d(Pool2d.Kind.AVG, 3, 3, 1, 1, SAME, false))),
                c("globalmaxpool", img, x -> x.then(new GlobalPool(Pool2d.Kind.MAX))),
                c("globalavgpool", img, x -> x.then(new GlobalPool(Pool2d.Kind.AVG))),
                c("flatten dense", img, x -> x.then(new Flatten()).then(new Dense(7, true, Activation.IDENTITY))),
                c("dense no bias sigmoid", Shape.of(13), x -> x.then(new Dense(5, false, Activation.SIGMOID))),
                c("dense softmax", Shape.of(13), x -> x.then(new Dense(6, true, Activation.SOFTMAX))),
                c("dense, inputs a multiple of four", Shape.of(16), x -> x.then(new Dense(9, true, Activation.RELU))),
                c("dense, fewer than four inputs", Shape.of(3), x -> x.then(new Dense(5, false, Activation.IDENTITY))),
                c("dense relu dropout dense", Shape.of(9), x -> x.then(new Dense(8, true, Activation.RELU))
                        .then(new Dropout(0.5f)).then(new Dense(4, true, Activation.TANH))),
                c("batchnorm 2d", img, x -> x.then(new BatchNorm(1e-3f, 0.99f))),
                c("batchnorm 1d", Shape.of(6), x -> x.then(new BatchNorm(1e-5f, 0.1f))),
                c("relu", img, x -> x.then(new Activate(Activation.RELU))),
                c("leaky_relu", img, x -> x.then(new Activate(new Activation.LeakyRelu(0.01f)))),
                c("elu", img, x -> x.then(new Activate(new Activation.Elu(1f)))),
                c("sigmoid", img, x -> x.then(new Activate(Activation.SIGMOID))),
                c("tanh", img, x -> x.then(new Activate(Activation.TANH))),
                c("linear", img, x -> x.then(new Activate(Activation.IDENTITY))),
                c("softmax over channels", img, x -> x.then(new Activate(Activation.SOFTMAX))),
                c("softmax flat", Shape.of(10), x -> x.then(new Activate(Activation.SOFTMAX))),
                c("maxout map", Shape.chw(6, 3, 4), x -> x.then(new Maxout(3))),
                c("maxout flat", Shape.of(8), x -> x.then(new Maxout(2))),
                c("pixel_shuffle 2", Shape.chw(8, 3, 5), x -> x.then(new PixelShuffle(2))),
                c("pixel_shuffle 3", Shape.chw(9, 2, 3), x -> x.then(new PixelShuffle(3))),
                c("pad all sides", odd, x -> x.then(new Pad(Padding.Explicit.of(2)))),
                c("pad asymmetric", img, x -> x.then(new Pad(new Padding.Explicit(0, 1, 3, 0)))),
                c("pad rows only", odd, x -> x.then(new Pad(Padding.Explicit.of(1, 0)))),
                c("pad into reused scratch", img, x -> x.then(conv(4, 3, 1, 1))
                        .then(new Pad(new Padding.Explicit(1, 0, 2, 1))).then(conv(4, 3, 1, 0))
                        .then(new Pad(new Padding.Explicit(0, 1, 0, 1))).then(conv(2, 3, 2, 0))),
                c("normalize per channel", img, x -> x.then(new Normalize(List.of(0.485f, 0.456f, 0.406f),
                        List.of(0.229f, 0.224f, 0.225f)))),
                c("normalize one value", img, x -> x.then(new Normalize(List.of(0.5f), List.of(0.25f)))),
                c("rescale", img, x -> x.then(new Rescale(1f / 255, -0.5f))),
                c("residual add", Shape.chw(3, 6, 6), x -> {
                    String stem = x.add("stem", conv(4, 3, 1, 1), x.last());
                    String h = x.add("h1", conv(4, 3, 1, 1), stem);
                    h = x.add("h2", new BatchNorm(1e-5f, 0.1f), h);
                    return x.add("sum", new Add(), stem, h);
                }),
                c("add of three", Shape.chw(2, 4, 4), x -> {
                    String a = x.add("a", conv(2, 3, 1, 1), x.last());
                    String b = x.add("b", new Activate(Activation.TANH), a);
                    return x.add("s", new Add(), a, b, x.last());
                }),
                c("concat inception", Shape.chw(3, 7, 7), x -> {
                    String in = x.last();
                    String a = x.add("a", conv(2, 1, 1, 0), in);
                    String b = x.add("b", conv(3, 3, 1, 1), in);
                    String p = x.add("p", new Pool2d(Pool2d.Kind.MAX, 3, 3, 1, 1, SAME, true), in);
                    String cat = x.add("cat", new Concat(), a, b, p);
                    return x.add("gap", new GlobalPool(Pool2d.Kind.AVG), cat);
                }),
                c("concat flat with input", Shape.of(5), x -> {
                    String d = x.add("d", new Dense(3, true, Activation.RELU), x.last());
                    return x.add("cat", new Concat(), x.last(), d);
                }),
                c("identity model", Shape.chw(1, 2, 2), x -> x.then(new Flatten())));
    }

    static ConvTranspose2d tconv(int f, int k, int s, int p, int op, int d, int g, boolean bias) {
        return new ConvTranspose2d(f, k, k, s, s, p, p, op, op, d, d, g, bias, Activation.IDENTITY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesReference(String name, Shape inShape, Function<Chain, Object> body) {
        GraphBuilder b = new GraphBuilder("Case", name.hashCode());
        Chain chain = new Chain(b, b.input(inShape));
        Graph g = b.build(String.valueOf(body.apply(chain)));
        CompiledModel m = CompiledModel.compile(JavaBackend.generate(g, new GenerateOptions("t.ops", "Case", false)));
        CompiledModel.Instance model = m.load();
        for (int trial = 0; trial < 3; trial++) {
            float[] x = b.randomInput(inShape.size());
            Tolerance.assertClose(ReferenceInterpreter.run(g, x), model.predict(x), name + " trial " + trial);
        }
    }

    /** Appends layers to a graph under construction. */
    static final class Chain {
        private final GraphBuilder b;
        private String last;
        private int count;

        Chain(GraphBuilder b, String input) {
            this.b = b;
            this.last = input;
        }

        Chain then(dev.striate.ir.Op op) {
            last = b.add(op.kind() + "_" + (++count), op, last);
            return this;
        }

        String add(String name, dev.striate.ir.Op op, String... inputs) {
            return b.add(name, op, inputs);
        }

        String last() {
            return last;
        }

        @Override
        public String toString() {
            return last;
        }
    }
}
