package dev.striate.frontend;

import static dev.striate.frontend.Lowered.graph;
import static dev.striate.frontend.Lowered.model;
import static dev.striate.frontend.Lowered.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvTranspose2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Dropout;
import dev.striate.ir.Graph;
import dev.striate.ir.Normalize;
import dev.striate.ir.Pad;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Rescale;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lowering rules of {@code docs/language.md}: inputs, names, chains, arguments and defaults. */
class LoweringTest {

    @Test
    void stackStatementsReadThePreviousValue() {
        Graph g = graph(model("flatten", "dense(10)", "softmax"));
        assertEquals(List.of("x:input:[1, 28, 28]", "flatten_1:flatten:[784]", "dense_1:dense:[10]",
                "softmax_1:softmax:[10]"), summary(g));
        assertEquals(List.of("dense_1"), g.node("softmax_1").inputs());
        assertEquals(List.of("softmax_1"), g.outputs());
    }

    @Test
    void leadingBareNamesAreInputsAndChainsFeedForward() {
        Graph g = graph(model("a = conv2d(x, 4, 3) -> relu", "b = conv2d(x, 4, 3)", "c = add(a, b) -> flatten",
                "output c"));
        assertEquals(List.of("x"), g.node("conv2d_1").inputs());
        assertEquals(List.of("conv2d_1"), g.node("relu_1").inputs());
        assertEquals(List.of("x"), g.node("conv2d_2").inputs());
        assertEquals(List.of("relu_1", "conv2d_2"), g.node("add_1").inputs());
        assertEquals(List.of("flatten_1"), g.outputs());
    }

    @Test
    void aLaterCallInAChainMayNameMoreInputs() {
        Graph g = graph(model("s = conv2d(x, 4, 3, padding=same)", "conv2d(4, 3, padding=same) -> add(s) -> relu"));
        assertEquals(List.of("conv2d_2", "conv2d_1"), g.node("add_1").inputs());
    }

    @Test
    void aNameAssignedOnceMayBeUsedBeforeItsDefinition() {
        Graph g = graph(model("y = add(a, b)", "a = relu(x)", "b = sigmoid(x)", "output y"));
        assertEquals(List.of("x:input:[1, 28, 28]", "relu_1:relu:[1, 28, 28]", "sigmoid_1:sigmoid:[1, 28, 28]",
                "add_1:add:[1, 28, 28]"), summary(g));
        assertEquals(List.of("add_1"), g.outputs());
    }

    @Test
    void aNameAssignedSeveralTimesIsReadInSourceOrder() {
        Graph g = graph(model("h = relu(x)", "y = tanh(h)", "h = sigmoid(h)", "z = add(h, y)", "output z"));
        assertEquals(List.of("relu_1"), g.node("tanh_1").inputs());
        assertEquals(List.of("relu_1"), g.node("sigmoid_1").inputs());
        assertEquals(List.of("sigmoid_1", "tanh_1"), g.node("add_1").inputs());
    }

    @Test
    void outputsMayBeSeveral() {
        Graph g = graph(model("a = relu(x)", "b = tanh(x)", "output b, a"));
        assertEquals(List.of("tanh_1", "relu_1"), g.outputs());
    }

    @Test
    void theDefaultOutputIsTheLastValueDefined() {
        Graph g = graph(model("y = add(a, x)", "a = relu(x)", "z = sigmoid(y)"));
        assertEquals(List.of("sigmoid_1"), g.outputs());
        assertEquals(List.of("relu_1", "x"), g.node("add_1").inputs());
    }

    @Test
    void inputsMayBeFlat() {
        Graph g = graph("model V { input v: [16] dense(8, activation=tanh) dense(2) }");
        assertEquals(List.of("v:input:[16]", "dense_1:dense:[8]", "dense_2:dense:[2]"), summary(g));
    }

    @Test
    void layerNamesAreExplicitOrCountedPerOpFromOne() {
        Graph g = graph(model("conv2d(2, 3, name=\"first\")", "conv2d(2, 3)", "relu", "conv2d(2, 3)", "relu",
                "leaky_relu", "depthwise_conv2d(3)"));
        assertEquals(List.of("x", "first", "conv2d_1", "relu_1", "conv2d_2", "relu_2", "leaky_relu_1",
                "depthwise_conv2d_1"), g.nodes().stream().map(n -> n.name()).toList());
    }

    @Test
    void activationArgumentsAreFusedIntoTheLayer() {
        Graph g = graph(model("conv2d(4, 3, activation=leaky_relu(0.2))", "conv2d(4, 3, activation=elu)",
                "conv2d(4, 3, activation=softmax)", "flatten", "dense(5, activation=sigmoid)",
                "dense(5, activation=elu(alpha=0.5))", "dense(5, activation=linear)"));
        assertEquals(new Activation.LeakyRelu(0.2f), ((Conv2d) g.node("conv2d_1").op()).activation());
        assertEquals(new Activation.Elu(1.0f), ((Conv2d) g.node("conv2d_2").op()).activation());
        assertEquals(Activation.SOFTMAX, ((Conv2d) g.node("conv2d_3").op()).activation());
        assertEquals(Activation.SIGMOID, ((Dense) g.node("dense_1").op()).activation());
        assertEquals(new Activation.Elu(0.5f), ((Dense) g.node("dense_2").op()).activation());
        assertEquals(Activation.IDENTITY, ((Dense) g.node("dense_3").op()).activation());
        assertEquals(8, g.nodes().size());
    }

    @Test
    void standaloneActivationsTakeTheirDefaults() {
        Graph g = graph(model("leaky_relu", "elu", "leaky_relu(0.3)", "elu(alpha=2)", "linear", "tanh"));
        assertEquals(new Activate(new Activation.LeakyRelu(0.01f)), g.node("leaky_relu_1").op());
        assertEquals(new Activate(new Activation.Elu(1.0f)), g.node("elu_1").op());
        assertEquals(new Activate(new Activation.LeakyRelu(0.3f)), g.node("leaky_relu_2").op());
        assertEquals(new Activate(new Activation.Elu(2f)), g.node("elu_2").op());
        assertEquals(new Activate(Activation.IDENTITY), g.node("linear_1").op());
        assertEquals(new Activate(Activation.TANH), g.node("tanh_1").op());
    }

    @Test
    void convolutionDefaultsAndKernelForms() {
        Graph g = graph(model("conv2d(8, [3, 5])", "conv2d(8, kernel=3, stride=[2, 1], dilation=2, bias=false)"));
        assertEquals(new Conv2d(8, 3, 5, 1, 1, Padding.VALID, 1, 1, 1, true, Activation.IDENTITY),
                g.node("conv2d_1").op());
        assertEquals("[8, 26, 24]", g.node("conv2d_1").shape().toString());
        assertEquals(new Conv2d(8, 3, 3, 2, 1, Padding.VALID, 2, 2, 1, false, Activation.IDENTITY),
                g.node("conv2d_2").op());
        assertEquals("[8, 11, 20]", g.node("conv2d_2").shape().toString());
    }

    @Test
    void paddingTakesEveryDocumentedForm() {
        Graph g = graph(model("a = conv2d(x, 2, 3, padding=1)", "b = conv2d(x, 2, 3, padding=[1, 2])",
                "c = conv2d(x, 2, 3, padding=[1, 0, 2, 0])", "d = conv2d(x, 2, 3, padding=valid)",
                "e = conv2d(x, 2, 3, padding=same)", "output a, b, c, d, e"));
        assertEquals(Padding.Explicit.of(1), ((Conv2d) g.node("conv2d_1").op()).padding());
        assertEquals("[2, 28, 28]", g.node("conv2d_1").shape().toString());
        assertEquals(Padding.Explicit.of(1, 2), ((Conv2d) g.node("conv2d_2").op()).padding());
        assertEquals("[2, 28, 30]", g.node("conv2d_2").shape().toString());
        assertEquals(new Padding.Explicit(1, 0, 2, 0), ((Conv2d) g.node("conv2d_3").op()).padding());
        assertEquals("[2, 27, 28]", g.node("conv2d_3").shape().toString());
        assertEquals(Padding.VALID, ((Conv2d) g.node("conv2d_4").op()).padding());
        assertEquals(new Padding.Same(), ((Conv2d) g.node("conv2d_5").op()).padding());
        assertEquals("[2, 28, 28]", g.node("conv2d_5").shape().toString());
    }

    @Test
    void depthwiseConvolutionIsAGroupedConvolution() {
        Graph g = graph("model D { input x: [8, 10, 10] depthwise_conv2d(3, multiplier=2, padding=1) "
                + "depthwise_conv2d([1, 3], activation=relu) }");
        assertEquals(new Conv2d(16, 3, 3, 1, 1, Padding.Explicit.of(1), 1, 1, 8, true, Activation.IDENTITY),
                g.node("depthwise_conv2d_1").op());
        assertEquals("[16, 10, 10]", g.node("depthwise_conv2d_1").shape().toString());
        assertEquals(new Conv2d(16, 1, 3, 1, 1, Padding.VALID, 1, 1, 16, true, Activation.RELU),
                g.node("depthwise_conv2d_2").op());
        assertEquals("[16, 10, 8]", g.node("depthwise_conv2d_2").shape().toString());
    }

    @Test
    void poolingStrideDefaultsToItsSize() {
        Graph g = graph(model("maxpool(2)", "avgpool([3, 2], stride=1, padding=1, count_include_pad=false)",
                "avgpool(2)"));
        assertEquals(new Pool2d(Pool2d.Kind.MAX, 2, 2, 2, 2, Padding.VALID, true), g.node("maxpool_1").op());
        assertEquals("[1, 14, 14]", g.node("maxpool_1").shape().toString());
        assertEquals(new Pool2d(Pool2d.Kind.AVG, 3, 2, 1, 1, Padding.Explicit.of(1), false), g.node("avgpool_1").op());
        assertEquals("[1, 14, 15]", g.node("avgpool_1").shape().toString());
        assertEquals(true, ((Pool2d) g.node("avgpool_2").op()).countIncludePad());
    }

    @Test
    void otherLayersTakeTheirDocumentedDefaults() {
        Graph g = graph(model("rescale(1/255)", "normalize(0.5, [0.25])", "batchnorm", "dropout",
                "batchnorm(epsilon=1e-3, momentum=0.01)", "dropout(0.25)", "rescale(2, offset=-1)"));
        assertEquals(new Rescale(1f / 255, 0f), g.node("rescale_1").op());
        assertEquals(new Normalize(List.of(0.5f), List.of(0.25f)), g.node("normalize_1").op());
        assertEquals(new BatchNorm(1e-5f, 0.1f), g.node("batchnorm_1").op());
        assertEquals(new Dropout(0.5f), g.node("dropout_1").op());
        assertEquals(new BatchNorm(1e-3f, 0.01f), g.node("batchnorm_2").op());
        assertEquals(new Dropout(0.25f), g.node("dropout_2").op());
        assertEquals(new Rescale(2f, -1f), g.node("rescale_2").op());
    }

    @Test
    void upsamplingAndChannelLayers() {
        Graph g = graph("model U { input x: [8, 4, 4] conv_transpose2d(8, 3, stride=2, padding=1, output_padding=1)"
                + " maxout(2) pixel_shuffle(factor=2) globalmaxpool }");
        assertEquals(new ConvTranspose2d(8, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, true, Activation.IDENTITY),
                g.node("conv_transpose2d_1").op());
        assertEquals(List.of("x:input:[8, 4, 4]", "conv_transpose2d_1:conv_transpose2d:[8, 8, 8]",
                "maxout_1:maxout:[4, 8, 8]", "pixel_shuffle_1:pixel_shuffle:[1, 16, 16]",
                "globalmaxpool_1:globalmaxpool:[1]"), summary(g));
    }

    @Test
    void padTakesExplicitAmounts() {
        Graph g = graph(model("a = pad(x, 1)", "b = pad(x, [2, 0])", "c = pad(x, padding=[0, 1, 0, 1]) -> conv2d(4, 3, stride=2)",
                "output a, b, c"));
        assertEquals(new Pad(Padding.Explicit.of(1)), g.node("pad_1").op());
        assertEquals("[1, 30, 30]", g.node("pad_1").shape().toString());
        assertEquals(new Pad(Padding.Explicit.of(2, 0)), g.node("pad_2").op());
        assertEquals("[1, 32, 28]", g.node("pad_2").shape().toString());
        assertEquals(new Pad(new Padding.Explicit(0, 1, 0, 1)), g.node("pad_3").op());
        assertEquals("[1, 29, 29]", g.node("pad_3").shape().toString());
        assertEquals("[4, 14, 14]", g.node("conv2d_1").shape().toString());
        assertEquals("pad", g.node("pad_1").op().kind());
        assertEquals("padding=[0, 1, 0, 1]", g.node("pad_3").op().describe());
    }

    @Test
    void concatJoinsChannels() {
        Graph g = graph(model("a = conv2d(x, 3, 1)", "b = conv2d(x, 5, 1)", "c = concat(a, b, x)", "output c"));
        assertEquals("[9, 28, 28]", g.node("concat_1").shape().toString());
    }

    @Test
    void numbersMayBeFractionsAndExponents() {
        Graph g = graph(model("rescale(scale=3/4, offset=-2.5e-1)", "leaky_relu(.5)"));
        assertEquals(new Rescale(0.75f, -0.25f), g.node("rescale_1").op());
        assertEquals(new Activate(new Activation.LeakyRelu(0.5f)), g.node("leaky_relu_1").op());
    }
}
