package dev.striate.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.SourcePos;
import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.Flatten;
import dev.striate.ir.Graph;
import dev.striate.ir.InferShapes;
import dev.striate.ir.Input;
import dev.striate.ir.Node;
import dev.striate.ir.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@link Verifier} that checks graphs after {@link InferShapes} and every other pass. */
class InferShapesVerifierTest {
    private static final Activate RELU = new Activate(Activation.RELU);

    private static Node node(String name, dev.striate.ir.Op op, Shape shape, String... inputs) {
        return new Node(name, op, List.of(inputs), shape, SourcePos.NONE);
    }

    private static Graph graph(List<String> outputs, Node... nodes) {
        return new Graph("V", List.of(nodes), outputs, List.of(), Map.of());
    }

    @Test
    void aSoundGraphHasNoProblems() {
        Graph g = graph(List.of("r"), node("x", new Input(Shape.of(4)), Shape.of(4)), node("r", RELU, Shape.of(4), "x"));
        assertEquals(List.of(), Verifier.problems(g, true));
        assertEquals(g, Verifier.verifyShaped(g));
    }

    @Test
    void findsNodesOutOfTopologicalOrderAndUnknownInputs() {
        Graph g = graph(List.of("r"), node("r", RELU, Shape.UNKNOWN, "x"), node("x", new Input(Shape.of(4)),
                Shape.UNKNOWN), node("s", RELU, Shape.UNKNOWN, "nowhere"));
        assertEquals(List.of("r reads x, which comes later (not topological)", "s reads unknown node nowhere"),
                Verifier.problems(g, false));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Verifier.verify(g));
        assertTrue(e.getMessage().contains("not topological"), e.getMessage());
    }

    @Test
    void findsWrongArity() {
        Graph g = graph(List.of("a"), node("x", new Input(Shape.of(4)), Shape.of(4)),
                node("r", RELU, Shape.UNKNOWN, "x", "x"), node("a", new Add(), Shape.UNKNOWN, "x"));
        assertEquals(List.of("r: relu takes 1 inputs, has 2", "a: add takes 2 or more inputs, has 1"),
                Verifier.problems(g, false));
    }

    @Test
    void findsShapesThatDisagreeWithInference() {
        Graph g = graph(List.of("f"), node("x", new Input(Shape.chw(2, 3, 3)), Shape.chw(2, 3, 3)),
                node("f", new Flatten(), Shape.of(17), "x"));
        assertEquals(List.of("f has shape [17] but flatten gives [18]"), Verifier.problems(g, false));
    }

    @Test
    void requiresShapesWhenAsked() {
        Graph g = graph(List.of("r"), node("x", new Input(Shape.of(4)), Shape.UNKNOWN),
                node("r", RELU, Shape.UNKNOWN, "x"));
        assertEquals(List.of(), Verifier.problems(g, false));
        assertEquals(List.of("x has no shape", "r has no shape"), Verifier.problems(g, true));
    }

    @Test
    void findsMissingOutputs() {
        Graph g = graph(List.of("y"), node("x", new Input(Shape.of(4)), Shape.of(4)));
        assertEquals(List.of("output y is not a node"), Verifier.problems(g, false));
    }
}
