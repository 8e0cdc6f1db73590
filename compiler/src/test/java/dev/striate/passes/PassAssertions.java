package dev.striate.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.testing.ReferenceInterpreter;
import java.util.List;
import java.util.Random;

/** Shared checks of the pass tests: node kinds, and numerical equivalence before and after a pass. */
final class PassAssertions {
    /** Tolerance relative to the output's scale: |after - before| <= 1e-5 * max(1, max |before|). */
    static final double ATOL = 1e-5;

    private PassAssertions() {
    }

    /** The op kinds of the graph's nodes, in order. */
    static List<String> kinds(Graph g) {
        return g.nodes().stream().map(n -> n.op().kind()).toList();
    }

    static long count(Graph g, Class<?> opType) {
        return g.nodes().stream().filter(n -> opType.isInstance(n.op())).count();
    }

    static void assertKinds(Graph g, String... kinds) {
        assertEquals(List.of(kinds), kinds(g), () -> "node kinds of\n" + g);
    }

    /** Runs the pass, verifies the result's invariants and checks it against the graph before. */
    static Graph runChecked(Pass pass, Graph before) {
        Graph after = pass.run(Verifier.verifyShaped(before));
        Verifier.verifyShaped(after);
        assertEquivalent(before, after, 5);
        return after;
    }

    /** Both graphs give the same first output on {@code trials} seeded random inputs in [-1, 1). */
    static void assertEquivalent(Graph before, Graph after, int trials) {
        Random random = new Random(1234);
        int size = before.inputs().get(0).shape().size();
        for (int t = 0; t < trials; t++) {
            float[] x = new float[size];
            for (int i = 0; i < size; i++) {
                x[i] = random.nextFloat() * 2 - 1;
            }
            double[] want = ReferenceInterpreter.run(before, x);
            double[] got = ReferenceInterpreter.run(after, x);
            assertEquals(want.length, got.length, "output size");
            double scale = 1;
            for (double v : want) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < want.length; i++) {
                if (!(Math.abs(got[i] - want[i]) <= ATOL * scale)) {
                    fail("trial " + t + ", element " + i + ": " + got[i] + " after, " + want[i] + " before\nbefore:\n"
                            + before + "after:\n" + after);
                }
            }
        }
    }

    /** The node reading {@code name}'s value, asserting there is exactly one. */
    static Node onlyReader(Graph g, String name) {
        List<Node> readers = g.consumers(name);
        assertEquals(1, readers.size(), () -> "readers of " + name + " in\n" + g);
        return readers.get(0);
    }
}
