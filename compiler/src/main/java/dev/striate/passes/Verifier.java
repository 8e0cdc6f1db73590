package dev.striate.passes;

import dev.striate.ir.Graph;
import dev.striate.ir.Input;
import dev.striate.ir.Node;
import dev.striate.ir.Op;
import dev.striate.ir.Shape;
import dev.striate.ir.ShapeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a graph's invariants, run by {@link PassPipeline} after every pass (in production and
 * in tests) and by tests of single passes: nodes are in topological
 * order and read only known nodes, each op has as many inputs as it takes, the outputs exist,
 * and every known shape is what {@link Op#inferShape} gives for its inputs. A broken invariant
 * is a compiler bug, so it throws {@link IllegalStateException} listing every problem.
 */
public final class Verifier {
    private Verifier() {
    }

    /** Verifies the invariants; unknown shapes are allowed. */
    public static Graph verify(Graph graph) {
        List<String> problems = problems(graph, false);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid graph " + graph.name() + ":\n  " + String.join("\n  ", problems)
                    + "\n" + graph);
        }
        return graph;
    }

    /** Verifies the invariants and that every node's shape is known. */
    public static Graph verifyShaped(Graph graph) {
        List<String> problems = problems(graph, true);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid graph " + graph.name() + ":\n  " + String.join("\n  ", problems)
                    + "\n" + graph);
        }
        return graph;
    }

    /** Every broken invariant, as readable lines (empty when the graph is sound). */
    public static List<String> problems(Graph graph, boolean requireShapes) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Node n : graph.nodes()) {
            Op op = n.op();
            int count = n.inputs().size();
            boolean arityOk = op.arity() == Op.VARIADIC ? count >= 2 : count == op.arity();
            if (!arityOk) {
                problems.add(n.name() + ": " + op.kind() + " takes " + (op.arity() == Op.VARIADIC ? "2 or more"
                        : op.arity()) + " inputs, has " + count);
            }
            for (String in : n.inputs()) {
                if (!graph.has(in)) {
                    problems.add(n.name() + " reads unknown node " + in);
                } else if (!seen.contains(in)) {
                    problems.add(n.name() + " reads " + in + ", which comes later (not topological)");
                }
            }
            seen.add(n.name());
            if (requireShapes && !n.shape().isKnown()) {
                problems.add(n.name() + " has no shape");
            }
            if (n.shape().isKnown() && arityOk && n.inputs().stream().allMatch(seen::contains)) {
                checkShape(graph, n, problems);
            }
        }
        for (String o : graph.outputs()) {
            if (!graph.has(o)) {
                problems.add("output " + o + " is not a node");
            }
        }
        if (graph.outputs().isEmpty()) {
            problems.add("the graph has no output");
        }
        return problems;
    }

    private static void checkShape(Graph graph, Node n, List<String> problems) {
        if (n.op() instanceof Input in) {
            if (!in.shape().equals(n.shape())) {
                problems.add(n.name() + ": input shape " + in.shape() + " but node shape " + n.shape());
            }
            return;
        }
        List<Shape> in = graph.inputShapes(n);
        if (in.stream().anyMatch(s -> !s.isKnown())) {
            problems.add(n.name() + " has shape " + n.shape() + " but an input's shape is unknown");
            return;
        }
        try {
            Shape expected = n.op().inferShape(in);
            if (!expected.equals(n.shape())) {
                problems.add(n.name() + " has shape " + n.shape() + " but " + n.op().kind() + " gives " + expected);
            }
        } catch (ShapeException e) {
            problems.add(n.name() + " has shape " + n.shape() + " but its inputs do not fit: " + e.getMessage());
        }
    }
}
