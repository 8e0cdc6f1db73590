package dev.striate.passes;

import static dev.striate.passes.Ops.bn;
import static dev.striate.passes.Ops.conv;
import static dev.striate.passes.Ops.convT;
import static dev.striate.passes.Ops.dense;
import static dev.striate.passes.Ops.grouped;
import static dev.striate.passes.Ops.relu;
import static dev.striate.passes.PassAssertions.assertKinds;
import static dev.striate.passes.PassAssertions.runChecked;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Flatten;
import dev.striate.ir.Graph;
import dev.striate.ir.Padding;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldBatchNormTest {
    private final FoldBatchNorm pass = new FoldBatchNorm();

    @Test
    void foldsIntoConvWithBias() {
        GraphBuilder b = new GraphBuilder("T", 1);
        String x = b.input(Shape.chw(3, 6, 6));
        String c = b.add("c", conv(4, 3, Padding.Explicit.of(1), true, Activation.IDENTITY), x);
        String n = b.add("n", bn(), c);
        String r = b.add("r", relu(), n);
        Graph g = b.build(r);

        Graph folded = runChecked(pass, g);

        assertKinds(folded, "input", "conv2d", "relu");
        assertEquals(List.of("c"), folded.node("r").inputs());
        assertFalse(folded.weights().keySet().stream().anyMatch(k -> k.startsWith("n.")));
        assertNotSame(g.weights().get("c.weight"), folded.weights().get("c.weight"));
    }

    @Test
    void createsBiasForConvWithout() {
        GraphBuilder b = new GraphBuilder("T", 2);
        String x = b.input(Shape.chw(2, 5, 5));
        String c = b.add("c", conv(3, 3, Padding.VALID, false, Activation.IDENTITY), x);
        Graph g = b.build(b.add("n", bn(), c));

        Graph folded = runChecked(pass, g);

        assertKinds(folded, "input", "conv2d");
        assertTrue(((Conv2d) folded.node("c").op()).bias());
        assertArrayEquals(new int[] {3}, folded.weights().get("c.bias").shape());
        assertEquals(List.of("c"), folded.outputs());
    }

    @Test
    void foldsIntoGroupedStridedDilatedConv() {
        GraphBuilder b = new GraphBuilder("T", 3);
        String x = b.input(Shape.chw(4, 9, 9));
        String c = b.add("c", grouped(6, 3, 2, new Padding.Same()), x);
        Graph g = b.build(b.add("n", bn(), c));

        assertKinds(runChecked(pass, g), "input", "conv2d");
    }

    @Test
    void foldsIntoDepthwiseConv() {
        GraphBuilder b = new GraphBuilder("T", 4);
        String x = b.input(Shape.chw(3, 6, 6));
        String c = b.add("c", new Conv2d(6, 3, 3, 1, 1, Padding.Explicit.of(1), 1, 1, 3, true, Activation.IDENTITY), x);
        Graph g = b.build(b.add("n", bn(), c));

        assertKinds(runChecked(pass, g), "input", "conv2d");
    }

    @Test
    void foldsIntoDenseWithoutBias() {
        GraphBuilder b = new GraphBuilder("T", 5);
        String x = b.input(Shape.chw(2, 3, 3));
        String f = b.add("f", new Flatten(), x);
        String d = b.add("d", dense(5, false, Activation.IDENTITY), f);
        Graph g = b.build(b.add("n", bn(), d));

        Graph folded = runChecked(pass, g);

        assertKinds(folded, "input", "flatten", "dense");
        assertTrue(((Dense) folded.node("d").op()).bias());
    }

    @Test
    void foldsIntoGroupedConvTranspose() {
        GraphBuilder b = new GraphBuilder("T", 6);
        String x = b.input(Shape.chw(4, 4, 4));
        String t = b.add("t", convT(6, 3, 2, false), x);
        Graph g = b.build(b.add("n", bn(), t));

        assertKinds(runChecked(pass, g), "input", "conv_transpose2d");
    }

    @Test
    void keepsNormAfterLayerWithActivation() {
        GraphBuilder b = new GraphBuilder("T", 7);
        String x = b.input(Shape.chw(2, 5, 5));
        String c = b.add("c", conv(3, 3, Padding.VALID, true, Activation.RELU), x);
        Graph g = b.build(b.add("n", bn(), c));

        assertSame(g, pass.run(g));
    }

    @Test
    void keepsNormWhenLayerHasAnotherReader() {
        GraphBuilder b = new GraphBuilder("T", 8);
        String x = b.input(Shape.chw(2, 5, 5));
        String c = b.add("c", conv(2, 1), x);
        String n = b.add("n", bn(), c);
        Graph g = b.build(b.add("sum", new Add(), c, n));

        assertSame(g, pass.run(g));
    }

    @Test
    void keepsNormAfterNonLinearOp() {
        GraphBuilder b = new GraphBuilder("T", 9);
        String x = b.input(Shape.chw(2, 5, 5));
        String r = b.add("r", relu(), x);
        Graph g = b.build(b.add("n", bn(), r));

        assertSame(g, pass.run(g));
    }

    @Test
    void foldsEveryNormOfAChain() {
        GraphBuilder b = new GraphBuilder("T", 10);
        String x = b.input(Shape.chw(3, 8, 8));
        String h = b.add("c1", conv(4, 3, Padding.Explicit.of(1), false, Activation.IDENTITY), x);
        h = b.add("n1", bn(), h);
        h = b.add("r1", relu(), h);
        h = b.add("c2", conv(4, 3), h);
        h = b.add("n2", bn(), h);
        Graph g = b.build(h);

        Graph folded = runChecked(pass, g);

        assertKinds(folded, "input", "conv2d", "relu", "conv2d");
        assertEquals(List.of("c2"), folded.outputs());
    }
}
