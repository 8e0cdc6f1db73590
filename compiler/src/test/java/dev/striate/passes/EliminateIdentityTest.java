package dev.striate.passes;

import static dev.striate.passes.Ops.act;
import static dev.striate.passes.Ops.conv;
import static dev.striate.passes.Ops.dense;
import static dev.striate.passes.Ops.normalize;
import static dev.striate.passes.Ops.rescale;
import static dev.striate.passes.PassAssertions.assertKinds;
import static dev.striate.passes.PassAssertions.runChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.striate.ir.Activation;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.Graph;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class EliminateIdentityTest {
    private final EliminateIdentity pass = new EliminateIdentity();

    @Test
    void removesEveryKindOfIdentity() {
        GraphBuilder b = new GraphBuilder("T", 1);
        String x = b.input(Shape.chw(2, 6, 6));
        String h = b.add("one", rescale(1f, 0f), x);
        h = b.add("unit", normalize(List.of(0f, 0f), List.of(1f, 1f)), h);
        h = b.add("c", conv(3, 3), h);
        h = b.add("lin", act(Activation.IDENTITY), h);
        h = b.add("pool1", new Pool2d(Pool2d.Kind.MAX, 1, 1, 1, 1, new Padding.Same(), true), h);
        h = b.add("keep", new Dropout(0f), h);
        h = b.add("f", new Flatten(), h);
        h = b.add("f2", new Flatten(), h);
        Graph g = b.build(b.add("d", dense(2, true, Activation.IDENTITY), h));

        Graph after = runChecked(pass, g);

        assertKinds(after, "input", "conv2d", "flatten", "dense");
        assertEquals(List.of("x"), after.node("c").inputs());
        assertEquals(List.of("c"), after.node("f").inputs());
        assertEquals(List.of("f"), after.node("d").inputs());
    }

    @Test
    void keepsOpsThatChangeValues() {
        GraphBuilder b = new GraphBuilder("T", 2);
        String x = b.input(Shape.chw(2, 6, 6));
        String h = b.add("r", rescale(1f, 0.5f), x);
        h = b.add("drop", new Dropout(0.5f), h);
        h = b.add("pool", new Pool2d(Pool2d.Kind.AVG, 1, 1, 1, 1, Padding.Explicit.of(1), true), h);
        h = b.add("f", new Flatten(), h);
        Graph g = b.build(b.add("t", act(Activation.TANH), h));

        assertSame(g, pass.run(g));
    }

    @Test
    void removedOutputPassesTheOutputOn() {
        GraphBuilder b = new GraphBuilder("T", 3);
        String x = b.input(Shape.chw(1, 4, 4));
        String c = b.add("c", conv(2, 3), x);
        Graph g = b.build(b.add("lin", act(Activation.IDENTITY), c));

        Graph after = runChecked(pass, g);

        assertEquals(List.of("c"), after.outputs());
    }
}
