package dev.striate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.ir.Activation;
import dev.striate.ir.Concat;
import dev.striate.ir.Dense;
import dev.striate.ir.Graph;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void defaultsFollowTheMaximumHeap() {
        Limits oneGig = Limits.forMaxMemory(1L << 30);
        assertEquals((1L << 30) / 16, oneGig.maxParams());
        assertEquals((1L << 30) / 8, oneGig.maxActivationFloats());
        assertEquals((1L << 30) / 4, oneGig.maxWeightsBytes());
        Limits fourGig = Limits.forMaxMemory(4L << 30);
        assertEquals(4 * oneGig.maxParams(), fourGig.maxParams());
        assertEquals(Limits.forMaxMemory(Runtime.getRuntime().maxMemory()), Limits.defaults());
    }

    @Test
    void givenValuesReplaceTheDefaults() {
        Limits d = Limits.forMaxMemory(1L << 30);
        assertEquals(new Limits(5, d.maxActivationFloats(), 7), d.with(5L, null, 7L));
        assertEquals(d, d.with(null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Limits(0, 1, 1));
    }

    static Graph chain() {
        GraphBuilder b = new GraphBuilder("Chain", 1);
        String x = b.input(Shape.of(10));
        x = b.add("a", new Dense(100, true, Activation.RELU), x);    // 1,100 params, 100 floats
        x = b.add("b", new Dense(100, true, Activation.RELU), x);    // 10,100 params
        x = b.add("c", new Dense(10, true, Activation.SOFTMAX), x);  // 1,010 params
        return b.build(x);
    }

    private static List<Diagnostic> check(Graph g, Limits limits) {
        Diagnostics d = new Diagnostics();
        LimitsCheck.check(g, limits, d);
        return d.sorted();
    }

    @Test
    void theParameterLimitIsReportedOnceAtTheLayerThatCrossesIt() {
        List<Diagnostic> found = check(chain(), new Limits(5000, 1000, 1000));
        assertEquals(1, found.size(), found.toString());
        assertEquals(ErrorCode.TOO_MANY_PARAMS, found.get(0).code());
        assertEquals(3, found.get(0).pos().line(), "layer b, the third node");
        assertTrue(found.get(0).message().contains("5,000 parameters at layer b (11,200 so far)"), found.get(0).message());
        assertTrue(found.get(0).message().contains("--max-params"));
        assertEquals(List.of(), check(chain(), new Limits(12_210, 1000, 1000)), "exactly at the limit is fine");
    }

    @Test
    void aLargeValueIsReportedAtItsLayer() {
        List<Diagnostic> found = check(chain(), new Limits(1_000_000, 99, 1000));
        assertEquals(2, found.size(), found.toString());
        for (Diagnostic d : found) {
            assertEquals(ErrorCode.ACTIVATION_TOO_LARGE, d.code());
            assertTrue(d.message().contains("100 floats, over the limit of 99 floats per value; raise it with "
                    + "--max-activation-floats"), d.message());
        }
        assertEquals(List.of(2, 3), found.stream().map(d -> d.pos().line()).toList());
    }

    @Test
    void theScratchOfTheForwardPassCountsToo() {
        GraphBuilder b = new GraphBuilder("Wide", 1);
        String x = b.input(Shape.of(10));
        String p = b.add("p", new Dense(100, true, Activation.RELU), x);
        String q = b.add("q", new Dense(100, true, Activation.RELU), x);
        String c = b.add("cat", new Concat(), p, q);
        String y = b.add("y", new Dense(10, true, Activation.SOFTMAX), c);
        Graph g = b.build(y);
        assertEquals(List.of(), check(g, new Limits(1_000_000, 400, 1000)), "p, q and cat: 400 floats");
        List<Diagnostic> found = check(g, new Limits(1_000_000, 399, 1000));
        assertEquals(1, found.size(), found.toString());
        assertEquals(ErrorCode.ACTIVATION_TOO_LARGE, found.get(0).code());
        assertTrue(found.get(0).message().contains("needs 400 floats of scratch buffers, over the limit of 399"),
                found.get(0).message());
        assertEquals(1, found.get(0).pos().line(), "at the model's input");
    }
}
