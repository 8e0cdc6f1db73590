package dev.striate.passes;

import static dev.striate.passes.Ops.conv;
import static dev.striate.passes.Ops.relu;
import static dev.striate.passes.PassAssertions.assertKinds;
import static dev.striate.passes.PassAssertions.count;
import static dev.striate.passes.PassAssertions.runChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvPool;
import dev.striate.ir.Flatten;
import dev.striate.ir.Graph;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class FusePoolTest {
    private final FusePool pass = new FusePool();

    static Pool2d max(int k, int s) {
        return new Pool2d(Pool2d.Kind.MAX, k, k, s, s, Padding.VALID, true);
    }

    static Pool2d avg(int k, int s) {
        return new Pool2d(Pool2d.Kind.AVG, k, k, s, s, Padding.VALID, true);
    }

    @Test
    void fusesMaxPoolIntoConvKeepingTheConvsNameAndWeights() {
        GraphBuilder b = new GraphBuilder("T", 1);
        String x = b.input(Shape.chw(2, 10, 10));
        String c = b.add("c", conv(3, 3, Padding.VALID, true, Activation.RELU), x);
        String p = b.add("p", max(2, 2), c);
        String f = b.add("f", new Flatten(), p);
        Graph g = b.build(f);

        Graph fused = runChecked(pass, g);

        assertKinds(fused, "input", "conv2d+maxpool", "flatten");
        assertEquals(1, count(fused, ConvPool.class));
        assertEquals(0, count(fused, Pool2d.class));
        ConvPool cp = (ConvPool) fused.node("c").op();
        assertEquals(Activation.RELU, cp.conv().activation());
        assertEquals(Shape.chw(3, 4, 4), fused.node("c").shape());
        assertEquals(List.of("c"), fused.node("f").inputs());
        assertTrue(fused.weights().containsKey("c.weight") && fused.weights().containsKey("c.bias"));
    }

    @Test
    void fusesAvgPoolWithOddWindowAtTheGraphOutput() {
        GraphBuilder b = new GraphBuilder("T", 2);
        String x = b.input(Shape.chw(3, 11, 9));
        String c = b.add("c", new Conv2d(4, 3, 3, 1, 1, Padding.Explicit.of(1), 1, 1, 1, true, Activation.TANH), x);
        Graph g = b.build(b.add("p", avg(3, 2), c));

        Graph fused = runChecked(pass, g);

        assertKinds(fused, "input", "conv2d+avgpool");
        assertEquals(List.of("c"), fused.outputs());
    }

    @Test
    void fusesAfterFuseActivationInThePipeline() {
        GraphBuilder b = new GraphBuilder("T", 3);
        String x = b.input(Shape.chw(1, 12, 12));
        String c = b.add("c", conv(4, 5), x);
        String r = b.add("r", relu(), c);
        Graph g = b.build(b.add("p", max(2, 2), r));

        Graph opt = PassPipeline.standard().verifyingEachPass().run(g, Pass.Mode.INFERENCE, null);
        assertKinds(opt, "input", "conv2d+maxpool");
        PassAssertions.assertEquivalent(g, opt, 5);

        Graph train = PassPipeline.standard().run(g, Pass.Mode.TRAINING, null);
        assertEquals(0, count(train, ConvPool.class), "training never fuses pools");
    }

    @Test
    void keepsPoolWhenTheConvHasAnotherReader() {
        GraphBuilder b = new GraphBuilder("T", 4);
        String x = b.input(Shape.chw(2, 8, 8));
        String c = b.add("c", conv(2, 3), x);
        String p = b.add("p", max(2, 2), c);
        Graph g = b.buildWithOutputs(p, c);

        assertSame(g, pass.run(g));
    }

    @Test
    void keepsPaddedPoolSoftmaxConvTinyPlaneAndBandedConv() {
        GraphBuilder b = new GraphBuilder("T", 5);
        String x = b.input(Shape.chw(2, 8, 8));
        String c1 = b.add("c1", conv(2, 3), x);
        String p1 = b.add("p1", new Pool2d(Pool2d.Kind.MAX, 3, 3, 1, 1, new Padding.Same(), true), c1);
        String c2 = b.add("c2", conv(2, 3, Padding.VALID, true, Activation.SOFTMAX), p1);
        String p2 = b.add("p2", max(2, 2), c2);
        String c3 = b.add("c3", conv(2, 1), p2); // 2x2 plane: summed in locals, not fused
        Graph g = b.build(b.add("p3", max(2, 2), c3));
        assertSame(g, pass.run(g));

        GraphBuilder big = new GraphBuilder("T", 6);
        String in = big.input(Shape.chw(16, 40, 40));
        String c = big.add("c", conv(4, 3), in); // 144 rows x 38x38 pixels: banded
        Graph banded = big.build(big.add("p", max(2, 2), c));
        assertSame(banded, pass.run(banded));
    }
}
