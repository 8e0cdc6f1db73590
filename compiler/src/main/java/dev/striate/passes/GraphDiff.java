package dev.striate.passes;

import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.weights.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What changed between two versions of a graph, as short readable lines for the pass log:
 * nodes removed, added and rewritten (op or inputs), weights rewritten, added and dropped, and
 * new outputs.
 */
final class GraphDiff {
    private GraphDiff() {
    }

    static List<String> describe(Graph before, Graph after) {
        List<String> lines = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Node n : before.nodes()) {
            if (!after.has(n.name())) {
                removed.add(n.name() + " (" + n.op().kind() + ")");
            }
        }
        addLine(lines, "removed ", removed);
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> rewired = new ArrayList<>();
        for (Node n : after.nodes()) {
            if (!before.has(n.name())) {
                added.add(n.name() + " (" + n.op().kind() + ")");
                continue;
            }
            Node old = before.node(n.name());
            if (!old.op().equals(n.op())) {
                changed.add(n.name() + ": " + summary(old) + " -> " + summary(n));
            } else if (!old.inputs().equals(n.inputs())) {
                rewired.add(n.name() + " <- " + String.join(", ", n.inputs()));
            }
        }
        addLine(lines, "added ", added);
        lines.addAll(changed);
        addLine(lines, "rewired ", rewired);
        List<String> rewritten = new ArrayList<>();
        List<String> newWeights = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : after.weights().entrySet()) {
            Tensor old = before.weights().get(e.getKey());
            if (old == null) {
                newWeights.add(e.getKey());
            } else if (old != e.getValue()) {
                rewritten.add(e.getKey());
            }
        }
        List<String> dropped = new ArrayList<>();
        for (String k : before.weights().keySet()) {
            if (!after.weights().containsKey(k)) {
                dropped.add(k);
            }
        }
        addLine(lines, "weights rewritten: ", byLayer(rewritten));
        addLine(lines, "weights created: ", byLayer(newWeights));
        addLine(lines, "weights dropped: ", byLayer(dropped));
        if (!before.outputs().equals(after.outputs())) {
            lines.add("output " + String.join(", ", before.outputs()) + " -> " + String.join(", ", after.outputs()));
        }
        return lines;
    }

    /** {@code [a.weight, a.bias, b.weight]} as {@code [a.{weight,bias}, b.weight]}. */
    private static List<String> byLayer(List<String> keys) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String k : keys) {
            int dot = k.lastIndexOf('.');
            groups.computeIfAbsent(dot < 0 ? k : k.substring(0, dot), x -> new ArrayList<>())
                    .add(dot < 0 ? "" : k.substring(dot + 1));
        }
        List<String> out = new ArrayList<>();
        groups.forEach((layer, params) -> out.add(params.size() == 1 ? layer + "." + params.get(0)
                : layer + ".{" + String.join(",", params) + "}"));
        return out;
    }

    private static String summary(Node n) {
        String d = n.op().describe();
        return n.op().kind() + (d.isEmpty() ? "" : "(" + d + ")");
    }

    private static void addLine(List<String> lines, String prefix, List<String> items) {
        if (!items.isEmpty()) {
            lines.add(prefix + String.join(", ", items));
        }
    }
}
