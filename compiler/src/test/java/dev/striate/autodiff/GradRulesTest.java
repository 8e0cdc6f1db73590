package dev.striate.autodiff;

import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Add;
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
import dev.striate.ir.Op;
import dev.striate.ir.Pad;
import dev.striate.ir.Padding;
import dev.striate.ir.PixelShuffle;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Rescale;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks (in double, against the reference interpreter) of every gradient rule
 * whose training forward equals its inference forward, in each variant: parameter gradients and
 * input gradients over a batch of 3 samples.
 */
class GradRulesTest {

    private static Conv2d conv(int f, int kh, int kw, int s, Padding p, int d, int groups, boolean bias, Activation a) {
        return new Conv2d(f, kh, kw, s, s, p, d, d, groups, bias, a);
    }

    private static Named<Function<GraphBuilder, String>> one(String name, Shape in, Op op) {
        return Named.of(name, b -> b.add("layer", op, b.input(in)));
    }

    static Stream<Named<Function<GraphBuilder, String>>> cases() {
        Padding pad1 = Padding.Explicit.of(1);
        return Stream.of(
                one("conv2d basic", Shape.chw(2, 6, 6), conv(3, 3, 3, 1, Padding.VALID, 1, 1, true, Activation.IDENTITY)),
                one("conv2d stride 2 padding 1 relu", Shape.chw(2, 7, 7), conv(4, 3, 3, 2, pad1, 1, 1, true, Activation.RELU)),
                one("conv2d same stride 2 tanh", Shape.chw(2, 7, 6), conv(3, 3, 3, 2, new Padding.Same(), 1, 1, true,
                        Activation.TANH)),
                one("conv2d same stride 1 even kernel", Shape.chw(2, 5, 5), conv(2, 4, 4, 1, new Padding.Same(), 1, 1, true,
                        Activation.IDENTITY)),
                one("conv2d dilation 2 sigmoid", Shape.chw(2, 8, 8), conv(3, 3, 3, 1, Padding.Explicit.of(2), 2, 1, false,
                        Activation.SIGMOID)),
                one("conv2d groups 2", Shape.chw(4, 6, 6), conv(6, 3, 3, 1, pad1, 1, 2, true, Activation.IDENTITY)),
                one("conv2d depthwise elu", Shape.chw(3, 6, 6), conv(6, 3, 3, 1, pad1, 1, 3, true, new Activation.Elu(1f))),
                one("conv2d non-square leaky", Shape.chw(2, 6, 7), new Conv2d(3, 2, 3, 1, 2, new Padding.Explicit(1, 0, 2, 1),
                        1, 1, 1, true, new Activation.LeakyRelu(0.1f))),
                // same padding, stride 1: windows unfolded and folded as shifted runs; kernel wider than the map
                // (shifts of 2 columns in a 2-wide map leave no cell inside), and several samples side by side
                one("conv2d same, kernel wider than the map", Shape.chw(1, 40, 2), conv(4, 5, 5, 1, new Padding.Same(), 1, 1,
                        true, Activation.IDENTITY)),
                one("conv2d same 3x3, samples packed", Shape.chw(3, 6, 7), conv(5, 3, 3, 1, new Padding.Same(), 1, 1, true,
                        Activation.RELU)),
                one("conv2d 1x1 softmax", Shape.chw(3, 3, 3), conv(4, 1, 1, 1, Padding.VALID, 1, 1, true, Activation.SOFTMAX)),
                one("conv2d 7x7 large window", Shape.chw(1, 9, 9), conv(2, 7, 7, 1, Padding.Explicit.of(3), 1, 1, true,
                        Activation.IDENTITY)),
                one("conv2d small map, more filters than positions", Shape.chw(2, 3, 3), conv(12, 3, 3, 1, pad1, 1, 1, true,
                        Activation.TANH)),
                one("conv2d short kernel rows, many filters", Shape.chw(1, 6, 6), conv(12, 3, 3, 1, Padding.VALID, 1, 1, true,
                        Activation.SIGMOID)),
                one("conv2d strided short rows, no bias", Shape.chw(1, 9, 9), conv(16, 2, 2, 2, Padding.VALID, 1, 1, false,
                        Activation.IDENTITY)),
                // maps of 32 positions or more (per-sample products; stride 1 unpadded folds whole rows)
                one("conv2d wide fold", Shape.chw(3, 10, 10), conv(4, 3, 3, 1, Padding.VALID, 1, 1, true, Activation.IDENTITY)),
                one("conv2d wide fold dilation 2 relu", Shape.chw(2, 12, 11), conv(3, 3, 3, 1, Padding.VALID, 2, 1, true,
                        Activation.RELU)),
                one("conv2d large map short kernel rows", Shape.chw(1, 9, 9), conv(12, 3, 3, 1, Padding.VALID, 1, 1, true,
                        Activation.TANH)),
                one("conv2d large map padded", Shape.chw(2, 7, 7), conv(3, 3, 3, 1, pad1, 1, 1, true, Activation.IDENTITY)),
                one("conv2d large map groups 2", Shape.chw(4, 8, 8), conv(4, 3, 3, 1, pad1, 1, 2, false, Activation.IDENTITY)),
                // 121 positions: the weight gradient takes 2 samples at a time, so 3 samples make a full and a
                // partial chunk; a ReLU with a bias over planes of whole vectors (Kernels.reluBiasGrad)
                one("conv2d samples in chunks, relu", Shape.chw(2, 13, 13), conv(3, 3, 3, 1, Padding.VALID, 1, 1, true,
                        Activation.RELU)),
                one("conv_transpose2d stride 2 output padding", Shape.chw(3, 4, 4),
                        new ConvTranspose2d(2, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, true, Activation.IDENTITY)),
                one("conv_transpose2d groups dilation tanh", Shape.chw(4, 3, 3),
                        new ConvTranspose2d(4, 3, 3, 1, 1, 0, 0, 0, 0, 2, 2, 2, false, Activation.TANH)),
                one("conv_transpose2d depthwise stride 3", Shape.chw(2, 3, 2),
                        new ConvTranspose2d(2, 2, 3, 3, 2, 0, 1, 0, 0, 1, 1, 2, true, Activation.IDENTITY)),
                one("conv_transpose2d stride 3 relu", Shape.chw(2, 3, 2),
                        new ConvTranspose2d(2, 2, 3, 3, 2, 0, 1, 0, 0, 1, 1, 1, true, Activation.RELU)),
                one("maxpool 2x2", Shape.chw(2, 6, 6), new Pool2d(Pool2d.Kind.MAX, 2, 2, 2, 2, Padding.VALID, true)),
                one("maxpool 3x3 stride 2 padding 1", Shape.chw(2, 7, 7), new Pool2d(Pool2d.Kind.MAX, 3, 3, 2, 2, pad1, true)),
                one("maxpool overlapping stride 1", Shape.chw(1, 5, 5), new Pool2d(Pool2d.Kind.MAX, 3, 3, 1, 1, Padding.VALID, true)),
                one("avgpool count_include_pad", Shape.chw(2, 7, 7), new Pool2d(Pool2d.Kind.AVG, 3, 3, 2, 2, pad1, true)),
                one("avgpool exclude pad", Shape.chw(2, 7, 7), new Pool2d(Pool2d.Kind.AVG, 3, 3, 2, 2, pad1, false)),
                one("avgpool same", Shape.chw(2, 5, 5), new Pool2d(Pool2d.Kind.AVG, 2, 2, 2, 2, new Padding.Same(), false)),
                one("globalmaxpool", Shape.chw(3, 4, 4), new GlobalPool(Pool2d.Kind.MAX)),
                one("globalavgpool", Shape.chw(3, 4, 4), new GlobalPool(Pool2d.Kind.AVG)),
                one("dense relu", Shape.of(12), new Dense(5, true, Activation.RELU)),
                one("dense no bias softmax", Shape.of(7), new Dense(4, false, Activation.SOFTMAX)),
                Named.of("flatten then dense", b -> b.add("dense", new Dense(4, true, Activation.TANH),
                        b.add("flat", new Flatten(), b.input(Shape.chw(2, 3, 3))))),
                one("relu", Shape.chw(3, 2, 2), new Activate(Activation.RELU)),
                one("leaky_relu", Shape.chw(3, 2, 2), new Activate(new Activation.LeakyRelu(0.2f))),
                one("elu", Shape.chw(3, 2, 2), new Activate(new Activation.Elu(0.7f))),
                one("leaky_relu negative alpha", Shape.chw(3, 2, 2), new Activate(new Activation.LeakyRelu(-0.5f))),
                one("leaky_relu alpha 0", Shape.of(6), new Activate(new Activation.LeakyRelu(0f))),
                one("leaky_relu alpha below -1", Shape.of(6), new Activate(new Activation.LeakyRelu(-2f))),
                one("elu negative alpha", Shape.chw(3, 2, 2), new Activate(new Activation.Elu(-0.8f))),
                one("elu alpha 0", Shape.of(6), new Activate(new Activation.Elu(0f))),
                one("dense leaky_relu negative alpha", Shape.of(7), new Dense(5, true, new Activation.LeakyRelu(-0.3f))),
                one("dense elu negative alpha", Shape.of(7), new Dense(5, true, new Activation.Elu(-1.5f))),
                one("conv2d leaky_relu negative alpha", Shape.chw(2, 5, 5), conv(3, 3, 3, 1, pad1, 1, 1, true,
                        new Activation.LeakyRelu(-0.2f))),
                one("conv2d elu negative alpha", Shape.chw(2, 5, 5), conv(3, 3, 3, 1, pad1, 1, 1, true,
                        new Activation.Elu(-0.6f))),
                one("conv_transpose2d leaky_relu negative alpha", Shape.chw(2, 3, 3),
                        new ConvTranspose2d(2, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1, 1, true, new Activation.LeakyRelu(-0.4f))),
                Named.of("two negative-alpha layers in a row", b -> b.add("l2", new Activate(new Activation.Elu(-0.5f)),
                        b.add("l1", new Dense(4, true, new Activation.LeakyRelu(-0.7f)), b.input(Shape.of(5))))),
                one("sigmoid", Shape.of(6), new Activate(Activation.SIGMOID)),
                one("tanh", Shape.of(6), new Activate(Activation.TANH)),
                one("softmax over channels", Shape.chw(3, 2, 2), new Activate(Activation.SOFTMAX)),
                one("softmax flat", Shape.of(5), new Activate(Activation.SOFTMAX)),
                one("maxout", Shape.chw(6, 3, 3), new Maxout(3)),
                one("maxout flat", Shape.of(8), new Maxout(2)),
                one("pixel_shuffle", Shape.chw(8, 2, 3), new PixelShuffle(2)),
                one("pad asymmetric", Shape.chw(2, 3, 4), new Pad(new Padding.Explicit(1, 0, 2, 1))),
                Named.of("pad then strided conv", b -> b.add("c", conv(3, 3, 3, 2, Padding.VALID, 1, 1, true,
                        Activation.TANH), b.add("p", new Pad(new Padding.Explicit(0, 1, 0, 1)),
                        b.input(Shape.chw(2, 6, 6))))),
                one("normalize per channel", Shape.chw(3, 3, 3), new Normalize(List.of(0.1f, 0.2f, 0.3f), List.of(0.5f, 2f, 1f))),
                one("normalize one value", Shape.chw(2, 3, 3), new Normalize(List.of(0.5f), List.of(0.25f))),
                one("rescale", Shape.chw(2, 3, 3), new Rescale(1f / 255, 0.5f)),
                one("dropout rate 0", Shape.of(6), new Dropout(0f)),
                Named.of("add with fan-out", b -> {
                    String x = b.input(Shape.chw(2, 5, 5));
                    String a = b.add("a", conv(2, 3, 3, 1, pad1, 1, 1, true, Activation.RELU), x);
                    String c = b.add("c", conv(2, 3, 3, 1, pad1, 1, 1, false, Activation.IDENTITY), a);
                    return b.add("sum", new Add(), x, a, c);
                }),
                Named.of("concat", b -> {
                    String x = b.input(Shape.chw(2, 4, 4));
                    String a = b.add("a", conv(3, 3, 3, 1, pad1, 1, 1, true, Activation.TANH), x);
                    return b.add("cat", new Concat(), a, x, a);
                }),
                Named.of("conv pool conv dense", b -> {
                    String x = b.input(Shape.chw(1, 10, 10));
                    String c1 = b.add("c1", conv(3, 3, 3, 1, Padding.VALID, 1, 1, true, Activation.RELU), x);
                    String p1 = b.add("p1", new Pool2d(Pool2d.Kind.MAX, 2, 2, 2, 2, Padding.VALID, true), c1);
                    String c2 = b.add("c2", conv(4, 3, 3, 1, Padding.VALID, 1, 1, true, Activation.RELU), p1);
                    String f = b.add("f", new Flatten(), c2);
                    return b.add("d", new Dense(3, true, Activation.SOFTMAX), f);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Function<GraphBuilder, String> build) {
        GraphBuilder b = new GraphBuilder("Case", 7);
        Graph g = b.build(build.apply(b));
        new GradCheck(g, 3, 11, GradCheck.perSample()).checkForward().checkAll();
    }
}
