package dev.striate.backend;

import dev.striate.backend.layers.EmitterFactory;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each value of the graph lives while {@code predict} runs. The input is read from the
 * caller's array and the output written to the caller's array; every other value gets one of a
 * few scratch buffers, reused once the value it held is no longer read (a linear scan over the
 * nodes in order, so a chain needs two buffers and a residual block three). Flatten and dropout
 * share their input's storage.
 */
final class BufferPlan {
    static final String INPUT = "input";
    static final String OUTPUT = "output";

    private final Map<String, String> storage = new HashMap<>();
    private final List<Integer> bufferSizes = new ArrayList<>();
    private final String outputRoot;
    private final String inputRoot;

    /** Plans storage for {@code nodes} (topological, all needed for the single output). */
    BufferPlan(Graph graph, List<Node> nodes, String output) {
        Map<String, String> root = new HashMap<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            index.put(n.name(), i);
            boolean alias = EmitterFactory.forOp(n.op()).aliasesInput() && !n.inputs().isEmpty();
            root.put(n.name(), alias ? root.get(n.inputs().get(0)) : n.name());
        }
        inputRoot = graph.inputs().get(0).name();
        outputRoot = root.get(output);
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).inputs()) {
                lastUse.put(root.get(in), i);
            }
        }
        List<String> occupant = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (!root.get(n.name()).equals(n.name())) {
                continue;
            }
            String where;
            if (n.name().equals(inputRoot)) {
                where = INPUT;
            } else if (n.name().equals(outputRoot)) {
                where = OUTPUT;
            } else {
                where = "buf" + allocate(occupant, lastUse, index, n.name(), i, n.shape().size());
            }
            storage.put(n.name(), where);
        }
        for (Node n : nodes) {
            storage.put(n.name(), storage.get(root.get(n.name())));
        }
    }

    private int allocate(List<String> occupant, Map<String, Integer> lastUse, Map<String, Integer> index,
                         String value, int def, int size) {
        int chosen = -1;
        for (int b = 0; b < occupant.size(); b++) {
            int freeAfter = lastUse.getOrDefault(occupant.get(b), index.get(occupant.get(b)));
            if (freeAfter < def && (chosen < 0 || bufferSizes.get(b) >= size && bufferSizes.get(chosen) < size)) {
                chosen = b;
            }
        }
        if (chosen < 0) {
            occupant.add(value);
            bufferSizes.add(size);
            return occupant.size() - 1;
        }
        occupant.set(chosen, value);
        bufferSizes.set(chosen, Math.max(bufferSizes.get(chosen), size));
        return chosen;
    }

    /** The array expression holding node {@code name}: {@code input}, {@code output} or {@code bufK}. */
    String storageOf(String name) {
        return storage.get(name);
    }

    /** Sizes of the scratch buffers {@code buf0, buf1, ...}. */
    List<Integer> bufferSizes() {
        return bufferSizes;
    }

    /** True when the output is the input itself (only aliases between them): predict copies. */
    boolean outputIsInput() {
        return outputRoot.equals(inputRoot);
    }

    /** The node whose method writes the output (the output node, or what it aliases). */
    String outputRoot() {
        return outputRoot;
    }
}
