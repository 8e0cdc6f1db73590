package dev.striate.passes;

import static dev.striate.passes.Ops.conv;
import static dev.striate.passes.Ops.normalize;
import static dev.striate.passes.Ops.rescale;
import static dev.striate.passes.PassAssertions.assertKinds;
import static dev.striate.passes.PassAssertions.runChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.striate.ir.Add;
import dev.striate.ir.Graph;
import dev.striate.ir.Normalize;
import dev.striate.ir.Rescale;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldConstantsTest {
    private final FoldConstants pass = new FoldConstants();

    @Test
    void combinesRescaleThenNormalizeIntoOneNormalize() {
        GraphBuilder b = new GraphBuilder("T", 1);
        String x = b.input(Shape.chw(3, 4, 4));
        String r = b.add("r", rescale(1f / 255, 0f), x);
        String n = b.add("n", normalize(List.of(0.485f, 0.456f, 0.406f), List.of(0.229f, 0.224f, 0.225f)), r);
        Graph g = b.build(b.add("c", conv(2, 3), n));

        Graph after = runChecked(pass, g);

        assertKinds(after, "input", "normalize", "conv2d");
        assertEquals(List.of("x"), after.node("n").inputs());
    }

    @Test
    void uniformChainBecomesOneRescale() {
        GraphBuilder b = new GraphBuilder("T", 2);
        String x = b.input(Shape.chw(2, 3, 3));
        String r = b.add("r", rescale(2f, 1f), x);
        Graph g = b.build(b.add("n", normalize(List.of(0.5f), List.of(4f)), r));

        Graph after = runChecked(pass, g);

        assertKinds(after, "input", "rescale");
        assertEquals(new Rescale(0.5f, 0.125f), after.node("n").op());
    }

    @Test
    void longChainsFoldToAFixedPoint() {
        GraphBuilder b = new GraphBuilder("T", 3);
        String h = b.input(Shape.chw(2, 3, 3));
        h = b.add("a", rescale(2f, 0f), h);
        h = b.add("b", normalize(List.of(0.1f, 0.2f), List.of(2f, 0.5f)), h);
        h = b.add("c", rescale(3f, -1f), h);
        h = b.add("d", normalize(List.of(1f, -1f), List.of(0.5f, 0.25f)), h);
        Graph g = b.build(h);

        Graph once = runChecked(pass, g);
        Graph fixed = PassPipeline.of(List.of(new PassPipeline.Step(pass, Pass.RunsIn.BOTH,
                Pass.Repeat.TO_FIXED_POINT))).verifyingEachPass().run(g, Pass.Mode.INFERENCE, null);

        assertEquals(3, once.nodes().size());
        assertKinds(fixed, "input", "normalize");
        assertEquals(2, ((Normalize) fixed.node("d").op()).mean().size());
        PassAssertions.assertEquivalent(g, fixed, 5);
    }

    @Test
    void keepsChainWhenTheFirstOpHasAnotherReader() {
        GraphBuilder b = new GraphBuilder("T", 4);
        String x = b.input(Shape.chw(1, 3, 3));
        String r = b.add("r", rescale(2f, 0f), x);
        String n = b.add("n", rescale(3f, 0f), r);
        Graph g = b.build(b.add("sum", new Add(), r, n));

        assertSame(g, pass.run(g));
    }
}
