package dev.striate.passes;

import dev.striate.ir.Graph;
import dev.striate.ir.Input;
import dev.striate.ir.Node;
import dev.striate.ir.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The codebase's one liveness-based buffer planner (an analysis, not a rewrite). Walking the
 * nodes in order, a value's scratch buffer is freed after its last reader, and the next value
 * takes a free buffer: the smallest that is large enough, else the largest free one, grown. So
 * a chain needs two buffers and a residual block three, and scratch memory approaches the peak
 * of live values instead of their sum. A node's output never shares a buffer with its inputs
 * (the emitted loops read inputs while writing the output).
 */
public final class PlanMemory {
    private PlanMemory() {
    }

    /** Plans the nodes the first output needs. */
    public static MemoryPlan plan(Graph graph) {
        String output = graph.outputs().get(0);
        return plan(graph, graph.neededNodes(List.of(output)), output);
    }

    /**
     * Plans {@code nodes} (topological, those {@code output} needs) of a single-input graph. The
     * {@linkplain Op#isInferenceView() views} share their input's storage instead of computing a value.
     */
    public static MemoryPlan plan(Graph graph, List<Node> nodes, String output) {
        Map<String, String> root = new HashMap<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            index.put(n.name(), i);
            boolean view = !n.inputs().isEmpty() && n.op().isInferenceView();
            root.put(n.name(), view ? root.get(n.inputs().get(0)) : n.name());
        }
        String inputRoot = graph.inputs().get(0).name();
        String outputRoot = root.get(output);
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).inputs()) {
                lastUse.put(root.get(in), i);
            }
        }
        Map<String, String> storage = new HashMap<>();
        List<Integer> sizes = new ArrayList<>();
        List<String> occupant = new ArrayList<>();
        long unplanned = 0;
        List<Node> scratch = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (!root.get(n.name()).equals(n.name())) {
                continue;
            }
            String where;
            if (n.name().equals(inputRoot)) {
                where = MemoryPlan.INPUT;
            } else if (n.op() instanceof Input) {
                where = n.name();
            } else if (n.name().equals(outputRoot)) {
                where = MemoryPlan.OUTPUT;
            } else {
                int size = n.shape().size();
                unplanned += size;
                scratch.add(n);
                int b = allocate(occupant, sizes, i, size, v -> lastUse.getOrDefault(v, index.get(v)));
                occupant.set(b, n.name());
                where = "buf" + b;
            }
            storage.put(n.name(), where);
        }
        for (Node n : nodes) {
            storage.put(n.name(), storage.get(root.get(n.name())));
        }
        long peak = peakLive(scratch, index, lastUse);
        return new MemoryPlan(storage, sizes, inputRoot, outputRoot, unplanned, peak);
    }

    /** A buffer free at step {@code def} for {@code size} floats: best fit, else grow the largest free one. */
    private static int allocate(List<String> occupant, List<Integer> sizes, int def, int size,
                                ToIntFunction<String> freeAfter) {
        int fit = -1;
        int largest = -1;
        for (int b = 0; b < occupant.size(); b++) {
            if (freeAfter.applyAsInt(occupant.get(b)) >= def) {
                continue;
            }
            if (sizes.get(b) >= size && (fit < 0 || sizes.get(b) < sizes.get(fit))) {
                fit = b;
            }
            if (largest < 0 || sizes.get(b) > sizes.get(largest)) {
                largest = b;
            }
        }
        if (fit >= 0) {
            return fit;
        }
        if (largest >= 0) {
            sizes.set(largest, size);
            return largest;
        }
        occupant.add(null);
        sizes.add(size);
        return occupant.size() - 1;
    }

    /**
     * The largest sum of sizes of values live at one step, by a sweep over the steps: each value
     * adds its size at its definition and removes it after its last use (linear in the nodes).
     */
    private static long peakLive(List<Node> scratch, Map<String, Integer> index, Map<String, Integer> lastUse) {
        int steps = 0;
        for (int i : index.values()) {
            steps = Math.max(steps, i + 1);
        }
        long[] delta = new long[steps + 1];
        for (Node n : scratch) {
            int def = index.get(n.name());
            int last = Math.max(def, lastUse.getOrDefault(n.name(), def));
            delta[def] += n.shape().size();
            delta[last + 1] -= n.shape().size();
        }
        long peak = 0;
        long live = 0;
        for (int step = 0; step < steps; step++) {
            live += delta[step];
            peak = Math.max(peak, live);
        }
        return peak;
    }
}
