package dev.striate.passes;

import static dev.striate.passes.Ops.conv;
import static dev.striate.passes.Ops.dense;
import static dev.striate.passes.Ops.relu;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.Concat;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Liveness-based storage: chains ping-pong, skip connections stay alive, views share storage. */
class PlanMemoryTest {

    @Test
    void chainReusesTwoBuffersAndReportsSumPeakAndPlan() {
        GraphBuilder b = new GraphBuilder("T", 1);
        String x = b.input(Shape.chw(1, 8, 8));
        String c1 = b.add("c1", conv(4, 3), x);     // [4, 6, 6] = 144
        String c2 = b.add("c2", conv(2, 3), c1);    // [2, 4, 4] = 32
        String c3 = b.add("c3", conv(8, 1), c2);    // [8, 4, 4] = 128
        Graph g = b.build(b.add("c4", conv(1, 1), c3));

        MemoryPlan plan = PlanMemory.plan(g);

        assertEquals(MemoryPlan.INPUT, plan.storageOf("x"));
        assertEquals(MemoryPlan.OUTPUT, plan.storageOf("c4"));
        assertEquals("buf0", plan.storageOf("c1"));
        assertEquals("buf1", plan.storageOf("c2"));
        assertEquals("buf0", plan.storageOf("c3"));
        assertEquals(List.of(144, 32), plan.bufferSizes());
        assertEquals(304, plan.unplannedFloats());
        assertEquals(176, plan.peakLiveFloats());
        assertEquals(176, plan.plannedFloats());
        assertEquals("scratch 1216 B unplanned -> 704 B planned (peak live 704 B, 2 buffers)", plan.toString());
        assertSound(g, plan);
    }

    @Test
    void residualBlockNeedsThreeBuffers() {
        GraphBuilder b = new GraphBuilder("T", 2);
        String x = b.input(Shape.chw(2, 6, 6));
        String a = b.add("a", conv(2, 1), x);
        String h = b.add("h1", conv(2, 1), a);
        h = b.add("h2", conv(2, 1), h);
        String s = b.add("sum", new Add(), a, h);
        Graph g = b.build(b.add("out", relu(), s));

        MemoryPlan plan = PlanMemory.plan(g);

        assertEquals(3, plan.bufferSizes().size());
        assertSound(g, plan);
    }

    @Test
    void flattenIsAViewOfItsInput() {
        GraphBuilder b = new GraphBuilder("T", 3);
        String x = b.input(Shape.chw(1, 6, 6));
        String c = b.add("c", conv(2, 3), x);
        String f = b.add("f", new Flatten(), c);
        Graph g = b.build(b.add("d", dense(3, true, Activation.IDENTITY), f));

        MemoryPlan plan = PlanMemory.plan(g);

        assertEquals(plan.storageOf("c"), plan.storageOf("f"));
        assertEquals(List.of(32), plan.bufferSizes());
        assertEquals(32, plan.unplannedFloats());
    }

    @Test
    void outputThatIsAViewOfTheInputIsTheInput() {
        GraphBuilder b = new GraphBuilder("T", 4);
        String x = b.input(Shape.chw(1, 2, 2));
        Graph g = b.build(b.add("f", new Flatten(), x));

        MemoryPlan plan = PlanMemory.plan(g);

        assertTrue(plan.outputIsInput());
        assertEquals(List.of(), plan.bufferSizes());
    }

    @Test
    void branchyGraphIsSoundAndBelowTheSum() {
        GraphBuilder b = new GraphBuilder("T", 5);
        String x = b.input(Shape.chw(2, 10, 10));
        String stem = b.add("stem", conv(4, 3), x);
        String l = b.add("l1", conv(4, 3), stem);
        l = b.add("l2", conv(4, 1), l);
        String r = b.add("r1", conv(4, 3), stem);
        String cat = b.add("cat", new Concat(), l, r);
        String t = b.add("t", conv(4, 1), cat);
        String s = b.add("sum", new Add(), t, r);
        Graph g = b.build(b.add("out", conv(2, 3), s));

        MemoryPlan plan = PlanMemory.plan(g);

        assertSound(g, plan);
        assertTrue(plan.plannedFloats() < plan.unplannedFloats());
        assertTrue(plan.plannedFloats() >= plan.peakLiveFloats());
    }

    @Test
    void viewsShareTheStorageOfTheirInput() {
        GraphBuilder b = new GraphBuilder("Alias", 1);
        String x = b.input(Shape.chw(2, 3, 3));
        String r = b.add("r", relu(), x);
        String f = b.add("f", new Flatten(), r);
        String d = b.add("drop", new Dropout(0.5f), f);
        Graph g = b.build(b.add("y", dense(4, true, Activation.IDENTITY), d));

        MemoryPlan plan = PlanMemory.plan(g);

        assertEquals("buf0", plan.storageOf(r));
        assertEquals("buf0", plan.storageOf(f));
        assertEquals("buf0", plan.storageOf(d));
        assertEquals(List.of(18), plan.bufferSizes());
    }

    @Test
    void outputViewMakesItsSourceWriteTheOutput() {
        GraphBuilder b = new GraphBuilder("OutAlias", 1);
        String x = b.input(Shape.chw(2, 3, 3));
        String r = b.add("r", relu(), x);
        Graph g = b.build(b.add("f", new Flatten(), r));

        MemoryPlan plan = PlanMemory.plan(g);

        assertEquals(MemoryPlan.OUTPUT, plan.storageOf(r));
        assertEquals("r", plan.outputRoot());
        assertTrue(plan.bufferSizes().isEmpty());
    }

    @Test
    void skipConnectionIsKeptAliveUntilItsLastUse() {
        GraphBuilder b = new GraphBuilder("Skip", 1);
        String x = b.input(Shape.of(8));
        String s = b.add("s", dense(8, true, Activation.RELU), x);
        String h1 = b.add("h1", dense(8, true, Activation.RELU), s);
        String h2 = b.add("h2", dense(8, true, Activation.RELU), h1);
        String h3 = b.add("h3", dense(8, true, Activation.RELU), h2);
        String sum = b.add("sum", new Add(), s, h3);
        Graph g = b.build(b.add("y", new Concat(), sum, x));

        MemoryPlan plan = PlanMemory.plan(g);

        String skip = plan.storageOf(s);
        for (String h : List.of(h1, h2, h3)) {
            assertNotEquals(skip, plan.storageOf(h), h + " must not overwrite the skip value");
        }
        assertNotEquals(plan.storageOf(h3), plan.storageOf(sum));
        assertEquals(3, plan.bufferSizes().size());
        assertEquals(MemoryPlan.OUTPUT, plan.storageOf("y"));
        assertSound(g, plan);
    }

    /**
     * No value is overwritten before its last reader: walking the nodes, a buffer's occupant is
     * replaced only after every reader of the old occupant ran, and a node never writes a buffer
     * it reads. Buffers are large enough for what they hold.
     */
    static void assertSound(Graph g, MemoryPlan plan) {
        Map<String, String> occupant = new HashMap<>();
        Map<String, Integer> remainingReads = new HashMap<>();
        for (Node n : g.nodes()) {
            for (String in : n.inputs()) {
                String root = rootOf(g, in);
                remainingReads.merge(root, 1, Integer::sum);
            }
        }
        for (Node n : g.nodes()) {
            String where = plan.storageOf(n.name());
            for (String in : n.inputs()) {
                assertEquals(rootOf(g, in), occupant.getOrDefault(plan.storageOf(in), rootOf(g, in)),
                        n.name() + " reads " + in + " but its buffer was overwritten");
            }
            if (!n.op().isInferenceView() && where.startsWith("buf")) {
                for (String in : n.inputs()) {
                    assertNotEquals(plan.storageOf(in), where, n.name() + " writes a buffer it reads");
                }
                String old = occupant.get(where);
                if (old != null) {
                    assertEquals(0, remainingReads.getOrDefault(old, 0), n.name() + " overwrites live " + old);
                }
                occupant.put(where, n.name());
                int index = Integer.parseInt(where.substring(3));
                assertTrue(plan.bufferSizes().get(index) >= n.shape().size(), where + " too small for " + n.name());
            }
            for (String in : n.inputs()) {
                remainingReads.merge(rootOf(g, in), -1, Integer::sum);
            }
        }
    }

    private static String rootOf(Graph g, String name) {
        Node n = g.node(name);
        return n.op().isInferenceView() ? rootOf(g, n.inputs().get(0)) : name;
    }
}
