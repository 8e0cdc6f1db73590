package dev.striate.frontend.lower;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.ir.InferShapes;
import dev.striate.ir.Input;
import dev.striate.ir.Node;
import dev.striate.ir.Op;
import dev.striate.ir.Shape;
import dev.striate.ir.ShapeException;
import dev.striate.ir.Sizes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The last steps of lowering, once every name is resolved: sorts the nodes topologically
 * (source order where free; cycles are errors), builds the IR ops, infers shapes and checks
 * the label count and the model's meaning ({@link SemanticChecks}). Also checks unused inputs and values once names are resolved.
 */
final class GraphAssembly {
    private GraphAssembly() {
    }

    static Graph assemble(String modelName, List<PendingNode> nodes, List<Integer> outputs, List<String> labels,
                          SourcePos labelsPos, Diagnostics diagnostics) {
        List<PendingNode> order = sort(nodes, diagnostics);
        if (order == null) {
            return null;
        }
        Map<Integer, Shape> shapes = new HashMap<>();
        List<Node> built = new ArrayList<>();
        Map<String, String> opNames = new HashMap<>();
        for (PendingNode n : order) {
            List<Shape> in = n.inputs.stream().map(shapes::get).toList();
            Op op;
            try {
                op = n.isInput() ? new Input(n.inputShape) : n.signature.factory().build(n.binding.args(), in.get(0));
            } catch (ArithmeticException e) {
                diagnostics.error(ErrorCode.TOO_LARGE, n.pos, n.kind + ": a size computed from its arguments and its"
                        + " input " + in.get(0) + " does not fit an int (at most " + Sizes.count(Integer.MAX_VALUE)
                        + ") (layer " + n.layerName + ")");
                return null;
            }
            opNames.put(n.layerName, n.kind);
            shapes.put(n.id, quietShape(op, in));
            List<String> inputNames = n.inputs.stream().map(i -> nodes.get(i).layerName).toList();
            built.add(new Node(n.layerName, op, inputNames, Shape.UNKNOWN, n.pos));
        }
        List<String> outputNames = outputs.stream().map(i -> nodes.get(i).layerName).toList();
        Graph graph = InferShapes.run(new Graph(modelName, built, outputNames, labels, Map.of()), diagnostics,
                opNames);
        checkLabels(graph, labels, labelsPos, diagnostics);
        SemanticChecks.run(graph, order, diagnostics);
        return graph;
    }

    /** The shape an op would have, or unknown; errors are reported later by {@link InferShapes}. */
    private static Shape quietShape(Op op, List<Shape> inputs) {
        if (inputs.stream().anyMatch(s -> !s.isKnown())) {
            return Shape.UNKNOWN;
        }
        try {
            return op.inferShape(inputs);
        } catch (ShapeException | RuntimeException e) {
            return Shape.UNKNOWN;
        }
    }

    /** Kahn's algorithm taking the earliest node in source order first; null after reporting cycles. */
    private static List<PendingNode> sort(List<PendingNode> nodes, Diagnostics diagnostics) {
        int[] missing = new int[nodes.size()];
        List<List<Integer>> consumers = new ArrayList<>();
        nodes.forEach(n -> consumers.add(new ArrayList<>()));
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (PendingNode n : nodes) {
            missing[n.id] = n.inputs.size();
            n.inputs.forEach(i -> consumers.get(i).add(n.id));
            if (n.inputs.isEmpty()) {
                ready.add(n.id);
            }
        }
        List<PendingNode> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            int id = ready.poll();
            order.add(nodes.get(id));
            for (int c : consumers.get(id)) {
                if (--missing[c] == 0) {
                    ready.add(c);
                }
            }
        }
        if (order.size() == nodes.size()) {
            return order;
        }
        reportCycles(nodes, missing, diagnostics);
        return null;
    }

    private static void reportCycles(List<PendingNode> nodes, int[] missing, Diagnostics diagnostics) {
        Set<Integer> reported = new HashSet<>();
        for (PendingNode start : nodes) {
            if (missing[start.id] == 0 || reported.contains(start.id)) {
                continue;
            }
            List<Integer> path = new ArrayList<>();
            LinkedHashSet<Integer> onPath = new LinkedHashSet<>();
            int current = start.id;
            while (!onPath.contains(current)) {
                onPath.add(current);
                path.add(current);
                int next = -1;
                for (int i : nodes.get(current).inputs) {
                    if (missing[i] > 0) {
                        next = i;
                        break;
                    }
                }
                current = next;
            }
            List<Integer> cycle = new ArrayList<>(path.subList(path.indexOf(current), path.size()));
            if (cycle.stream().anyMatch(reported::contains)) {
                continue;
            }
            reported.addAll(cycle);
            java.util.Collections.reverse(cycle);
            int first = cycle.stream().min(Integer::compare).orElseThrow();
            int at = cycle.indexOf(first);
            List<Integer> rotated = new ArrayList<>(cycle.subList(at, cycle.size()));
            rotated.addAll(cycle.subList(0, at));
            StringBuilder sb = new StringBuilder();
            for (int id : rotated) {
                sb.append(label(nodes.get(id))).append(" -> ");
            }
            sb.append(label(nodes.get(first)));
            diagnostics.error(ErrorCode.CYCLE, nodes.get(first).pos, "cycle: " + sb
                    + "; a value cannot depend on itself");
        }
    }

    private static String label(PendingNode n) {
        return n.valueName != null && !n.isInput() ? n.valueName + " (" + n.layerName + ")" : n.layerName;
    }

    /**
     * Unused inputs are errors; unused values are warnings, reported only when {@code warn}
     * (a model with other errors would drown them).
     */
    static void checkUnused(List<PendingNode> nodes, List<Integer> outputs, boolean warn, Diagnostics diagnostics) {
        Set<Integer> used = new HashSet<>(outputs);
        nodes.forEach(n -> used.addAll(n.inputs));
        for (PendingNode n : nodes) {
            if (used.contains(n.id)) {
                continue;
            }
            if (n.isInput()) {
                diagnostics.error(ErrorCode.UNUSED_INPUT, n.pos, "input '" + n.layerName + "' is never used");
            } else if (warn) {
                diagnostics.warning(ErrorCode.UNUSED_VALUE, n.pos, n.describe() + " is never used");
            }
        }
    }

    private static void checkLabels(Graph graph, List<String> labels, SourcePos pos, Diagnostics diagnostics) {
        if (pos == null) {
            return;
        }
        if (graph.outputs().size() != 1) {
            diagnostics.error(ErrorCode.LABEL_COUNT, pos, "labels need a model with one output, this one has "
                    + graph.outputs().size());
            return;
        }
        Shape out = graph.node(graph.outputs().get(0)).shape();
        if (!out.isKnown()) {
            return;
        }
        if (out.rank() != 1) {
            diagnostics.error(ErrorCode.LABEL_COUNT, pos, "labels need a flat output (one score per class), got " + out);
        } else if (out.size() != labels.size()) {
            diagnostics.error(ErrorCode.LABEL_COUNT, pos, labels.size() + " label" + (labels.size() == 1 ? "" : "s")
                    + " for an output of size " + out.size());
        }
    }
}
