package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.Concat;
import dev.striate.ir.Dense;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.Graph;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Liveness-based storage: chains ping-pong, skip connections stay alive, aliases share storage. */
class BufferPlanTest {

    static BufferPlan plan(Graph g) {
        return new BufferPlan(g, g.nodes(), g.outputs().get(0));
    }

    @Test
    void chainPingPongsBetweenTwoBuffersSizedToTheLargestValue() {
        GraphBuilder b = new GraphBuilder("Chain", 1);
        String x = b.input(Shape.of(4));
        String d1 = b.add("d1", new Dense(100, true, Activation.RELU), x);
        String d2 = b.add("d2", new Dense(30, true, Activation.RELU), d1);
        String d3 = b.add("d3", new Dense(50, true, Activation.RELU), d2);
        String d4 = b.add("d4", new Dense(3, true, Activation.RELU), d3);
        BufferPlan p = plan(b.build(d4));
        assertEquals("input", p.storageOf(x));
        assertEquals("buf0", p.storageOf(d1));
        assertEquals("buf1", p.storageOf(d2));
        assertEquals("buf0", p.storageOf(d3));
        assertEquals("output", p.storageOf(d4));
        assertEquals(List.of(100, 30), p.bufferSizes());
    }

    @Test
    void aliasesShareTheStorageOfTheirInput() {
        GraphBuilder b = new GraphBuilder("Alias", 1);
        String x = b.input(Shape.chw(2, 3, 3));
        String r = b.add("r", new Activate(Activation.RELU), x);
        String f = b.add("f", new Flatten(), r);
        String d = b.add("drop", new Dropout(0.5f), f);
        String y = b.add("y", new Dense(4, true, Activation.IDENTITY), d);
        BufferPlan p = plan(b.build(y));
        assertEquals("buf0", p.storageOf(r));
        assertEquals("buf0", p.storageOf(f));
        assertEquals("buf0", p.storageOf(d));
        assertEquals(List.of(18), p.bufferSizes());
    }

    @Test
    void outputAliasMakesItsSourceWriteTheOutput() {
        GraphBuilder b = new GraphBuilder("OutAlias", 1);
        String x = b.input(Shape.chw(2, 3, 3));
        String r = b.add("r", new Activate(Activation.RELU), x);
        String f = b.add("f", new Flatten(), r);
        BufferPlan p = plan(b.build(f));
        assertEquals("output", p.storageOf(r));
        assertEquals("r", p.outputRoot());
        assertTrue(p.bufferSizes().isEmpty());
    }

    @Test
    void skipConnectionIsKeptAliveUntilItsLastUse() {
        GraphBuilder b = new GraphBuilder("Skip", 1);
        String x = b.input(Shape.of(8));
        String s = b.add("s", new Dense(8, true, Activation.RELU), x);
        String h1 = b.add("h1", new Dense(8, true, Activation.RELU), s);
        String h2 = b.add("h2", new Dense(8, true, Activation.RELU), h1);
        String h3 = b.add("h3", new Dense(8, true, Activation.RELU), h2);
        String sum = b.add("sum", new Add(), s, h3);
        String y = b.add("y", new Concat(), sum, x);
        BufferPlan p = plan(b.build(y));
        String skip = p.storageOf(s);
        for (String h : List.of(h1, h2, h3)) {
            assertNotEquals(skip, p.storageOf(h), h + " must not overwrite the skip value");
        }
        assertNotEquals(p.storageOf(h3), p.storageOf(sum));
        assertEquals(3, p.bufferSizes().size());
        assertEquals("output", p.storageOf(y));
    }
}
