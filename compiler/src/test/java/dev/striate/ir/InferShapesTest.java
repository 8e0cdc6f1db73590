package dev.striate.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.SourcePos;
import dev.striate.passes.Verifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shape inference on small hand-built graphs: the output-size formula of {@code docs/language.md}
 * for padding, stride, dilation, groups and transposed convolutions, and error reporting
 * without cascades. Every result is checked by the {@link Verifier}.
 */
class InferShapesTest {
    private final List<Node> nodes = new ArrayList<>();
    private final Diagnostics diagnostics = new Diagnostics();

    private String add(String name, Op op, String... inputs) {
        nodes.add(new Node(name, op, List.of(inputs), Shape.UNKNOWN, new SourcePos("t.cnn", nodes.size() + 1, 5)));
        return name;
    }

    private Graph run() {
        Graph g = new Graph("T", nodes, List.of(nodes.get(nodes.size() - 1).name()), List.of(), java.util.Map.of());
        Verifier.verify(g);
        return Verifier.verify(InferShapes.run(g, diagnostics));
    }

    private List<String> messages() {
        return diagnostics.sorted().stream().map(Diagnostic::format).toList();
    }

    private static Conv2d conv(int filters, int k, int s, Padding p, int d, int groups) {
        return new Conv2d(filters, k, k, s, s, p, d, d, groups, true, Activation.IDENTITY);
    }

    @Test
    void samePaddingWithStrideTwoOnAnOddInputPadsBothSides() {
        add("x", new Input(Shape.chw(1, 7, 7)));
        Conv2d c = conv(1, 3, 2, new Padding.Same(), 1, 1);
        add("c", c, "x");
        Graph g = run();
        assertEquals(Shape.chw(1, 4, 4), g.node("c").shape());
        assertEquals(new Padding.Explicit(1, 1, 1, 1), c.resolvedPadding(Shape.chw(1, 7, 7)));
    }

    @Test
    void samePaddingWithStrideTwoOnAnEvenInputPutsTheOddPixelBottomRight() {
        add("x", new Input(Shape.chw(1, 8, 8)));
        Conv2d c = conv(1, 3, 2, new Padding.Same(), 1, 1);
        add("c", c, "x");
        assertEquals(Shape.chw(1, 4, 4), run().node("c").shape());
        assertEquals(new Padding.Explicit(0, 1, 0, 1), c.resolvedPadding(Shape.chw(1, 8, 8)));
    }

    @Test
    void samePaddingFollowsTheDocumentedFormulaForManySizes() throws ShapeException {
        for (int w = 1; w <= 12; w++) {
            for (int k = 1; k <= 5; k++) {
                for (int s = 1; s <= 3; s++) {
                    for (int d = 1; d <= 2; d++) {
                        int out = (w + s - 1) / s;
                        int total = Math.max((out - 1) * s + d * (k - 1) + 1 - w, 0);
                        Conv2d c = conv(1, k, s, new Padding.Same(), d, 1);
                        Padding.Explicit p = c.resolvedPadding(Shape.chw(1, w, w));
                        assertEquals(new Padding.Explicit(total / 2, total - total / 2, total / 2, total - total / 2), p);
                        Shape shape = c.inferShape(List.of(Shape.chw(1, w, w)));
                        assertEquals(Shape.chw(1, out, out), shape, "W=" + w + " K=" + k + " S=" + s + " D=" + d);
                    }
                }
            }
        }
    }

    @Test
    void dilationWidensTheWindow() {
        add("x", new Input(Shape.chw(2, 10, 12)));
        add("c", conv(4, 3, 1, Padding.VALID, 2, 1), "x");
        add("s", conv(4, 3, 2, Padding.Explicit.of(1), 3, 1), "x");
        Graph g = run();
        assertEquals(Shape.chw(4, 6, 8), g.node("c").shape());
        assertEquals(Shape.chw(4, 3, 4), g.node("s").shape());
    }

    @Test
    void groupsSplitChannelsAndWeights() {
        add("x", new Input(Shape.chw(4, 5, 5)));
        Conv2d grouped = conv(6, 3, 1, Padding.VALID, 1, 2);
        add("g", grouped, "x");
        Graph g = run();
        assertEquals(Shape.chw(6, 3, 3), g.node("g").shape());
        assertEquals(Shape.of(6, 2, 3, 3), grouped.params(List.of(Shape.chw(4, 5, 5))).get(0).shape());
        assertEquals(List.of(), messages());
    }

    @Test
    void groupsThatDoNotDivideTheChannelsAreAnError() {
        add("x", new Input(Shape.chw(4, 5, 5)));
        add("g", conv(6, 3, 1, Padding.VALID, 1, 3), "x");
        run();
        assertEquals(List.of("t.cnn:2:5: error: conv2d: 4 input channels cannot be split into 3 groups (layer g) [E305]"),
                messages());
    }

    @Test
    void transposedConvolutionUpsamples() {
        add("x", new Input(Shape.chw(8, 4, 5)));
        ConvTranspose2d t = new ConvTranspose2d(3, 3, 3, 2, 2, 1, 1, 1, 0, 1, 1, 1, true, Activation.IDENTITY);
        add("t", t, "x");
        Graph g = run();
        assertEquals(Shape.chw(3, 8, 9), g.node("t").shape());
        List<ParamSpec> params = t.params(List.of(Shape.chw(8, 4, 5)));
        assertEquals(Shape.of(8, 3, 3, 3), params.get(0).shape());
    }

    @Test
    void kernelLargerThanThePaddedInputIsAnError() {
        add("x", new Input(Shape.chw(1, 2, 9)));
        add("c", conv(1, 5, 1, Padding.Explicit.of(1), 1, 1), "x");
        add("p", new Pool2d(Pool2d.Kind.MAX, 3, 3, 1, 1, Padding.VALID, true), "x");
        run();
        assertEquals(List.of(
                "t.cnn:2:5: error: conv2d: the window spans 5 rows but the padded input has only 4 (layer c) [E302]",
                "t.cnn:3:5: error: maxpool: the window spans 3 rows but the padded input has only 2 (layer p) [E302]"),
                messages());
    }

    @Test
    void channelMismatchInAddAndSpatialMismatchInConcat() {
        add("x", new Input(Shape.chw(3, 8, 8)));
        add("a", conv(4, 1, 1, Padding.VALID, 1, 1), "x");
        add("sum", new Add(), "a", "x");
        add("b", new Pool2d(Pool2d.Kind.AVG, 2, 2, 2, 2, Padding.VALID, true), "x");
        add("cat", new Concat(), "a", "b");
        add("ok", new Concat(), "a", "x");
        Graph g = run();
        assertEquals(List.of(
                "t.cnn:3:5: error: add needs inputs of one shape, got [4, 8, 8] and [3, 8, 8] (layer sum) [E303]",
                "t.cnn:5:5: error: concat joins channels, so heights and widths must match: got [4, 8, 8] and "
                        + "[3, 4, 4] (layer cat) [E301]"), messages());
        assertEquals(Shape.chw(7, 8, 8), g.node("ok").shape());
    }

    @Test
    void nodesAfterAnErrorStayUnknownWithoutMoreErrors() {
        add("x", new Input(Shape.chw(1, 4, 4)));
        add("c", conv(2, 5, 1, Padding.VALID, 1, 1), "x");
        add("f", new Flatten(), "c");
        add("d", new Dense(3, true, Activation.SOFTMAX), "f");
        add("e", new Dense(3, true, Activation.SOFTMAX), "x");
        Graph g = run();
        assertEquals(2, messages().size(), messages().toString());
        assertEquals(Shape.UNKNOWN, g.node("c").shape());
        assertEquals(Shape.UNKNOWN, g.node("f").shape());
        assertEquals(Shape.UNKNOWN, g.node("d").shape());
        assertEquals(Shape.chw(1, 4, 4), g.node("x").shape());
    }

    @Test
    void aShapedGraphPassesTheVerifier() {
        add("x", new Input(Shape.chw(1, 6, 6)));
        add("c", conv(2, 3, 1, new Padding.Same(), 1, 1), "x");
        add("f", new Flatten(), "c");
        add("d", new Dense(3, true, Activation.IDENTITY), "f");
        Graph g = Verifier.verifyShaped(run());
        assertEquals(Shape.of(72), g.node("f").shape());
        assertEquals(Shape.of(3), g.node("d").shape());
    }
}
