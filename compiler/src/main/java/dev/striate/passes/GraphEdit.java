package dev.striate.passes;

import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.ParamSpec;
import dev.striate.ir.Shape;
import dev.striate.weights.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scratch pad for one pass over an immutable {@link Graph}: replace nodes, remove a node and
 * let its readers (and the graph outputs) read another node instead, set or drop weights. Then
 * {@link #build()} makes the new graph, or returns the original instance when nothing was edited.
 */
final class GraphEdit {
    private final Graph graph;
    private final Map<String, Node> replaced = new HashMap<>();
    private final Set<String> removed = new HashSet<>();
    private final Map<String, String> forward = new HashMap<>();
    private final Map<String, Tensor> weights;
    private Map<String, List<String>> keysByLayer;
    private boolean changed;

    GraphEdit(Graph graph) {
        this.graph = graph;
        this.weights = new LinkedHashMap<>(graph.weights());
    }

    /** The node as edited so far (the graph's node unless replaced). */
    Node node(String name) {
        Node n = replaced.get(name);
        return n != null ? n : graph.node(name);
    }

    /** Replaces the node of the same name. */
    void replace(Node n) {
        replaced.put(n.name(), n);
        changed = true;
    }

    /**
     * Removes {@code name} with its weights; every reader of it, and the graph outputs, read
     * {@code readersNowRead} instead.
     */
    void remove(String name, String readersNowRead) {
        removed.add(name);
        forward.put(name, readersNowRead);
        dropWeightsOf(name);
        changed = true;
    }

    /** Removes a node nobody reads, with its weights. */
    void drop(String name) {
        removed.add(name);
        dropWeightsOf(name);
        changed = true;
    }

    void putWeight(String key, int[] shape, float[] data) {
        if (weights.put(key, new Tensor(key, shape, data)) == null && keysByLayer != null) {
            int dot = key.lastIndexOf('.');
            keysByLayer.computeIfAbsent(dot < 0 ? key : key.substring(0, dot), x -> new ArrayList<>()).add(key);
        }
        changed = true;
    }

    /** Drops the weights of {@code name}, whose op no longer needs them. */
    void dropWeights(String name) {
        dropWeightsOf(name);
        changed = true;
    }

    /** Drops the keys {@code name.param} (an index by layer keeps a pass over a deep model linear). */
    private void dropWeightsOf(String name) {
        if (keysByLayer == null) {
            keysByLayer = new HashMap<>();
            for (String k : weights.keySet()) {
                int dot = k.lastIndexOf('.');
                keysByLayer.computeIfAbsent(dot < 0 ? k : k.substring(0, dot), x -> new ArrayList<>()).add(k);
            }
        }
        List<String> keys = keysByLayer.remove(name);
        if (keys != null) {
            keys.forEach(weights::remove);
        }
    }

    /** Follows removed nodes to the node now read, shortening the chains it walks (path compression). */
    private String resolve(String name) {
        String n = name;
        while (forward.containsKey(n)) {
            n = forward.get(n);
        }
        String m = name;
        while (forward.containsKey(m)) {
            String next = forward.get(m);
            forward.put(m, n);
            m = next;
        }
        return n;
    }

    /** The edited graph, nodes in their original order; the original instance when unchanged. */
    Graph build() {
        if (!changed) {
            return graph;
        }
        List<Node> nodes = new ArrayList<>();
        for (Node original : graph.nodes()) {
            if (removed.contains(original.name())) {
                continue;
            }
            Node n = node(original.name());
            List<String> inputs = n.inputs().stream().map(this::resolve).toList();
            nodes.add(inputs.equals(n.inputs()) ? n : n.withInputs(inputs));
        }
        List<String> outputs = graph.outputs().stream().map(this::resolve).toList();
        Graph g = new Graph(graph.name(), nodes, outputs, graph.labels(), weights, graph.pixelNormalization());
        return g.withWeights(inParamOrder(g));
    }

    /** The weights in graph order, each node's in the order its op lists them (as BindWeights binds them). */
    private Map<String, Tensor> inParamOrder(Graph g) {
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (Node n : g.nodes()) {
            List<Shape> in = g.inputShapes(n);
            if (in.stream().allMatch(Shape::isKnown)) {
                for (ParamSpec p : n.op().params(in)) {
                    Tensor t = weights.get(n.paramKey(p.name()));
                    if (t != null) {
                        ordered.put(n.paramKey(p.name()), t);
                    }
                }
            }
        }
        weights.forEach(ordered::putIfAbsent);
        return ordered;
    }
}
