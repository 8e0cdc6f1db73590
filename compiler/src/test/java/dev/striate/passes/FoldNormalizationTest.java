package dev.striate.passes;

import static dev.striate.passes.Ops.conv;
import static dev.striate.passes.Ops.dense;
import static dev.striate.passes.Ops.grouped;
import static dev.striate.passes.Ops.normalize;
import static dev.striate.passes.Ops.rescale;
import static dev.striate.passes.PassAssertions.assertEquivalent;
import static dev.striate.passes.PassAssertions.assertKinds;
import static dev.striate.passes.PassAssertions.runChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Padding;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldNormalizationTest {
    private final FoldNormalization pass = new FoldNormalization();

    @Test
    void foldsPerChannelNormalizeIntoUnpaddedConv() {
        GraphBuilder b = new GraphBuilder("T", 1);
        String x = b.input(Shape.chw(3, 7, 7));
        String n = b.add("n", normalize(List.of(0.485f, 0.456f, 0.406f), List.of(0.229f, 0.224f, 0.225f)), x);
        Graph g = b.build(b.add("c", conv(4, 3, Padding.VALID, true, Activation.RELU), n));

        Graph folded = runChecked(pass, g);

        assertKinds(folded, "input", "conv2d");
        assertEquals(List.of("x"), folded.node("c").inputs());
    }

    @Test
    void foldsIntoGroupedConvReadingEachGroupsChannels() {
        GraphBuilder b = new GraphBuilder("T", 2);
        String x = b.input(Shape.chw(4, 9, 9));
        String n = b.add("n", normalize(List.of(0.1f, -0.2f, 0.3f, 0.5f), List.of(0.5f, 2f, 0.25f, 1.5f)), x);
        Graph g = b.build(b.add("c", grouped(6, 3, 2, Padding.VALID), n));

        assertKinds(runChecked(pass, g), "input", "conv2d");
    }

    @Test
    void createsBiasWhenTheShiftIsNotZero() {
        GraphBuilder b = new GraphBuilder("T", 3);
        String x = b.input(Shape.chw(2, 5, 5));
        String n = b.add("n", normalize(List.of(0.5f), List.of(0.25f)), x);
        Graph g = b.build(b.add("c", conv(3, 3, Padding.VALID, false, Activation.IDENTITY), n));

        Graph folded = runChecked(pass, g);

        assertTrue(((Conv2d) folded.node("c").op()).bias());
    }

    @Test
    void keepsShiftingNormalizeBeforePaddedConvWhereFoldingIsNotExact() {
        GraphBuilder b = new GraphBuilder("T", 4);
        String x = b.input(Shape.chw(2, 5, 5));
        String n = b.add("n", normalize(List.of(0.5f, 0.1f), List.of(0.25f, 0.5f)), x);
        Graph g = b.build(b.add("c", conv(3, 3, Padding.Explicit.of(1), true, Activation.IDENTITY), n));

        assertSame(g, pass.run(g));
        // Why: fold with the padding out of the way, put it back, and the borders differ.
        Conv2d padded = (Conv2d) g.node("c").op();
        Conv2d valid = new Conv2d(3, 3, 3, 1, 1, Padding.VALID, 1, 1, 1, true, Activation.IDENTITY);
        Graph foldedValid = pass.run(withOp(g, "c", valid));
        assertKinds(foldedValid, "input", "conv2d");
        Graph wrong = withOp(foldedValid, "c", padded);
        assertThrows(AssertionError.class, () -> assertEquivalent(g, wrong, 1));
    }

    private static Graph withOp(Graph g, String name, dev.striate.ir.Op op) {
        List<Node> nodes = g.nodes().stream().map(n -> n.name().equals(name) ? n.withOp(op) : n).toList();
        Graph changed = g.withNodes(nodes);
        return changed.withNodes(changed.nodes().stream().map(n -> n.op() instanceof dev.striate.ir.Input ? n
                : n.withShape(shapeOf(changed, n))).toList());
    }

    private static Shape shapeOf(Graph g, Node n) {
        try {
            return n.op().inferShape(g.inputShapes(n));
        } catch (dev.striate.ir.ShapeException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void foldsPureScaleIntoPaddedConv() {
        GraphBuilder b = new GraphBuilder("T", 5);
        String x = b.input(Shape.chw(1, 6, 6));
        String r = b.add("r", rescale(1f / 255, 0), x);
        Graph g = b.build(b.add("c", conv(4, 3, new Padding.Same(), false, Activation.IDENTITY), r));

        Graph folded = runChecked(pass, g);

        assertKinds(folded, "input", "conv2d");
        assertFalse(((Conv2d) folded.node("c").op()).bias(), "a pure scale needs no bias");
    }

    @Test
    void pureScaleLeavesAnExistingBiasAlone() {
        GraphBuilder b = new GraphBuilder("T", 10);
        String x = b.input(Shape.chw(1, 6, 6));
        String r = b.add("r", rescale(1f / 255, 0), x);
        Graph g = b.build(b.add("c", conv(4, 3, new Padding.Same(), true, Activation.RELU), r));

        Graph folded = runChecked(pass, g);

        assertSame(g.weights().get("c.bias"), folded.weights().get("c.bias"));
    }

    @Test
    void foldsRescaleWithOffsetIntoDenseWithoutBias() {
        GraphBuilder b = new GraphBuilder("T", 6);
        String x = b.input(Shape.of(12));
        String r = b.add("r", rescale(2f, -1f), x);
        Graph g = b.build(b.add("d", dense(5, false, Activation.SIGMOID), r));

        Graph folded = runChecked(pass, g);

        assertKinds(folded, "input", "dense");
        assertTrue(((Dense) folded.node("d").op()).bias());
    }

    @Test
    void foldsPerElementNormalizeIntoDense() {
        GraphBuilder b = new GraphBuilder("T", 7);
        String x = b.input(Shape.of(3));
        String n = b.add("n", normalize(List.of(1f, 2f, 3f), List.of(0.5f, 4f, 2f)), x);
        Graph g = b.build(b.add("d", dense(2, true, Activation.IDENTITY), n));

        assertKinds(runChecked(pass, g), "input", "dense");
    }

    @Test
    void foldsPerChannelNormalizeThroughFlattenIntoDense() {
        GraphBuilder b = new GraphBuilder("T", 11);
        String x = b.input(Shape.chw(2, 3, 3));
        String n = b.add("n", normalize(List.of(0.5f, -1f), List.of(0.25f, 2f)), x);
        String f = b.add("f", new dev.striate.ir.Flatten(), n);
        Graph g = b.build(b.add("d", dense(4, false, Activation.IDENTITY), f));

        Graph folded = runChecked(pass, g);

        assertKinds(folded, "input", "flatten", "dense");
        assertEquals(List.of("x"), folded.node("f").inputs());
    }

    @Test
    void keepsNormalizeBeforeFlattenThatFeedsNoDense() {
        GraphBuilder b = new GraphBuilder("T", 12);
        String x = b.input(Shape.chw(2, 3, 3));
        String n = b.add("n", normalize(List.of(0.5f, -1f), List.of(0.25f, 2f)), x);
        String f = b.add("f", new dev.striate.ir.Flatten(), n);
        Graph g = b.build(b.add("r", Ops.relu(), f));

        assertSame(g, pass.run(g));
    }

    @Test
    void keepsNormalizeWithTwoReaders() {
        GraphBuilder b = new GraphBuilder("T", 8);
        String x = b.input(Shape.chw(1, 5, 5));
        String n = b.add("n", rescale(0.5f, 0.1f), x);
        String c1 = b.add("c1", conv(2, 3), n);
        String c2 = b.add("c2", conv(2, 3), n);
        Graph g = b.build(b.add("sum", new dev.striate.ir.Add(), c1, c2));

        assertSame(g, pass.run(g));
    }

    @Test
    void keepsNormalizeBeforeOtherOps() {
        GraphBuilder b = new GraphBuilder("T", 9);
        String x = b.input(Shape.chw(1, 6, 6));
        String n = b.add("n", rescale(0.5f, 0.1f), x);
        Graph g = b.build(b.add("p", new dev.striate.ir.Pool2d(dev.striate.ir.Pool2d.Kind.MAX, 2, 2, 2, 2,
                Padding.VALID, true), n));

        assertSame(g, pass.run(g));
    }
}
