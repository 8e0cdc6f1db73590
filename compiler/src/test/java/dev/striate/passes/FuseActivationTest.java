package dev.striate.passes;

import static dev.striate.passes.Ops.act;
import static dev.striate.passes.Ops.conv;
import static dev.striate.passes.Ops.convT;
import static dev.striate.passes.Ops.dense;
import static dev.striate.passes.Ops.relu;
import static dev.striate.passes.PassAssertions.assertKinds;
import static dev.striate.passes.PassAssertions.runChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvTranspose2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Flatten;
import dev.striate.ir.Graph;
import dev.striate.ir.Padding;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class FuseActivationTest {
    private final FuseActivation pass = new FuseActivation();

    @Test
    void fusesReluIntoConv() {
        GraphBuilder b = new GraphBuilder("T", 1);
        String x = b.input(Shape.chw(2, 6, 6));
        String c = b.add("c", conv(3, 3), x);
        String r = b.add("r", relu(), c);
        Graph g = b.build(b.add("c2", conv(2, 3), r));

        Graph fused = runChecked(pass, g);

        assertKinds(fused, "input", "conv2d", "conv2d");
        assertEquals(Activation.RELU, ((Conv2d) fused.node("c").op()).activation());
        assertEquals(List.of("c"), fused.node("c2").inputs());
    }

    @Test
    void fusesSoftmaxIntoDenseAtTheOutput() {
        GraphBuilder b = new GraphBuilder("T", 2);
        String x = b.input(Shape.chw(2, 3, 3));
        String f = b.add("f", new Flatten(), x);
        String d = b.add("d", dense(4, true, Activation.IDENTITY), f);
        Graph g = b.build(b.add("p", act(Activation.SOFTMAX), d));

        Graph fused = runChecked(pass, g);

        assertKinds(fused, "input", "flatten", "dense");
        assertEquals(Activation.SOFTMAX, ((Dense) fused.node("d").op()).activation());
        assertEquals(List.of("d"), fused.outputs());
    }

    @Test
    void fusesLeakyReluIntoConvTranspose() {
        GraphBuilder b = new GraphBuilder("T", 3);
        String x = b.input(Shape.chw(2, 3, 3));
        String t = b.add("t", convT(4, 3, 2, true), x);
        Graph g = b.build(b.add("a", act(new Activation.LeakyRelu(0.2f)), t));

        Graph fused = runChecked(pass, g);

        assertKinds(fused, "input", "conv_transpose2d");
        assertEquals(new Activation.LeakyRelu(0.2f), ((ConvTranspose2d) fused.node("t").op()).activation());
    }

    @Test
    void keepsActivationAfterLayerThatHasOne() {
        GraphBuilder b = new GraphBuilder("T", 4);
        String x = b.input(Shape.chw(2, 6, 6));
        String c = b.add("c", conv(3, 3, Padding.VALID, true, Activation.TANH), x);
        Graph g = b.build(b.add("r", relu(), c));

        assertSame(g, pass.run(g));
    }

    @Test
    void keepsActivationWhenTheLayerHasAnotherReader() {
        GraphBuilder b = new GraphBuilder("T", 5);
        String x = b.input(Shape.chw(2, 6, 6));
        String c = b.add("c", conv(2, 1), x);
        String r = b.add("r", relu(), c);
        Graph g = b.build(b.add("sum", new Add(), c, r));

        assertSame(g, pass.run(g));
    }

    @Test
    void keepsActivationAfterOtherOps() {
        GraphBuilder b = new GraphBuilder("T", 6);
        String x = b.input(Shape.chw(2, 6, 6));
        String c1 = b.add("c1", conv(2, 1), x);
        String c2 = b.add("c2", conv(2, 1), x);
        String s = b.add("sum", new Add(), c1, c2);
        Graph g = b.build(b.add("r", relu(), s));

        assertSame(g, pass.run(g));
    }
}
