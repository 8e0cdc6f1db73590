package dev.striate.passes;

import static dev.striate.passes.Ops.bn;
import static dev.striate.passes.Ops.conv;
import static dev.striate.passes.Ops.relu;
import static dev.striate.passes.PassAssertions.assertKinds;
import static dev.striate.passes.PassAssertions.runChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.striate.ir.Graph;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class LowerBatchNormTest {
    private final LowerBatchNorm pass = new LowerBatchNorm();

    @Test
    void batchNormOnTheInputBecomesNormalize() {
        GraphBuilder b = new GraphBuilder("T", 1);
        String x = b.input(Shape.chw(3, 4, 4));
        Graph g = b.build(b.add("bn", bn(), x));

        Graph after = runChecked(pass, g);

        assertKinds(after, "input", "normalize");
        assertEquals(List.of(), List.copyOf(after.weights().keySet()));
    }

    @Test
    void batchNormAfterReluBecomesNormalizeThatTheNextUnpaddedConvAbsorbs() {
        GraphBuilder b = new GraphBuilder("T", 2);
        String x = b.input(Shape.chw(2, 6, 6));
        String h = b.add("c1", conv(3, 3), x);
        h = b.add("r", relu(), h);
        h = b.add("bn", bn(), h);
        Graph g = b.build(b.add("c2", conv(2, 3), h));

        Graph lowered = runChecked(pass, g);
        Graph folded = runChecked(new FoldNormalization(), lowered);

        assertKinds(lowered, "input", "conv2d", "relu", "normalize", "conv2d");
        assertKinds(folded, "input", "conv2d", "relu", "conv2d");
        PassAssertions.assertEquivalent(g, folded, 5);
    }

    @Test
    void keepsBatchNormWithAZeroScale() {
        GraphBuilder b = new GraphBuilder("T", 3);
        String x = b.input(Shape.of(2));
        b.add("bn", bn(), x);
        b.weight("bn.weight", 1f, 0f);
        Graph g = b.build("bn");

        assertSame(g, pass.run(g));
    }
}
