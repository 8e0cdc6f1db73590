package dev.striate.passes;

import static dev.striate.passes.Ops.conv;
import static dev.striate.passes.Ops.dense;
import static dev.striate.passes.PassAssertions.assertKinds;
import static dev.striate.passes.PassAssertions.runChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.striate.ir.Activation;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.Graph;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class EliminateDropoutTest {
    private final EliminateDropout pass = new EliminateDropout();

    @Test
    void removesEveryDropout() {
        GraphBuilder b = new GraphBuilder("T", 1);
        String x = b.input(Shape.chw(1, 6, 6));
        String h = b.add("c", conv(2, 3), x);
        h = b.add("drop1", new Dropout(0.25f), h);
        h = b.add("f", new Flatten(), h);
        h = b.add("drop2", new Dropout(0.5f), h);
        h = b.add("d", dense(3, true, Activation.IDENTITY), h);
        Graph g = b.build(b.add("drop3", new Dropout(0.5f), h));

        Graph after = runChecked(pass, g);

        assertKinds(after, "input", "conv2d", "flatten", "dense");
        assertEquals(List.of("c"), after.node("f").inputs());
        assertEquals(List.of("f"), after.node("d").inputs());
        assertEquals(List.of("d"), after.outputs());
    }

    @Test
    void leavesGraphWithoutDropoutAlone() {
        GraphBuilder b = new GraphBuilder("T", 2);
        Graph g = b.build(b.add("c", conv(2, 3), b.input(Shape.chw(1, 6, 6))));

        assertSame(g, pass.run(g));
    }
}
