package dev.striate.passes;

import static dev.striate.passes.Ops.conv;
import static dev.striate.passes.Ops.relu;
import static dev.striate.passes.PassAssertions.assertKinds;
import static dev.striate.passes.PassAssertions.runChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.striate.ir.Graph;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EliminateDeadNodesTest {
    private final EliminateDeadNodes pass = new EliminateDeadNodes();

    @Test
    void removesBranchesThatReachNoOutputWithTheirWeights() {
        GraphBuilder b = new GraphBuilder("T", 1);
        String x = b.input(Shape.chw(1, 6, 6));
        String live = b.add("live", conv(2, 3), x);
        String dead = b.add("dead", conv(2, 3), x);
        b.add("dead_relu", relu(), dead);
        Graph g = b.build(b.add("out", relu(), live));

        Graph after = runChecked(pass, g);

        assertKinds(after, "input", "conv2d", "relu");
        assertEquals(Set.of("live.weight", "live.bias"), after.weights().keySet());
    }

    @Test
    void keepsUnusedInputs() {
        GraphBuilder b = new GraphBuilder("T", 2);
        String x = b.input("x", Shape.chw(1, 6, 6));
        b.input("unused", Shape.of(3));
        Graph g = b.build(b.add("c", conv(2, 3), x));

        assertSame(g, pass.run(g));
    }
}
