package dev.striate.ir;

import dev.striate.weights.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable model: nodes in topological order, the output node names, optional class
 * labels, and the weights bound to it (keyed {@code layer.param}; empty when none are bound).
 * Passes take a graph and return a new one.
 */
public final class Graph {
    private final String name;
    private final List<Node> nodes;
    private final List<String> outputs;
    private final List<String> labels;
    private final Map<String, Tensor> weights;
    private final Normalize pixelNormalization;
    private final Map<String, Node> byName;
    /** Readers of each node, built by {@link #consumers} on first use (racy but idempotent). */
    private volatile Map<String, List<Node>> readers;
    private volatile List<Node> inputNodes;

    public Graph(String name, List<Node> nodes, List<String> outputs, List<String> labels, Map<String, Tensor> weights) {
        this(name, nodes, outputs, labels, weights, null);
    }

    /**
     * A graph whose weights were trained on pixels normalized by {@code pixelNormalization}
     * ({@code (x - mean[c]) / std[c]} on values {@code 0..255}, outside the model), or null.
     */
    public Graph(String name, List<Node> nodes, List<String> outputs, List<String> labels, Map<String, Tensor> weights,
                 Normalize pixelNormalization) {
        this.name = name;
        this.pixelNormalization = pixelNormalization;
        this.nodes = List.copyOf(nodes);
        this.outputs = List.copyOf(outputs);
        this.labels = List.copyOf(labels);
        this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        Map<String, Node> index = new LinkedHashMap<>();
        for (Node n : this.nodes) {
            if (index.put(n.name(), n) != null) {
                throw new IllegalArgumentException("duplicate node name " + n.name());
            }
        }
        this.byName = Collections.unmodifiableMap(index);
    }

    public String name() {
        return name;
    }

    public List<Node> nodes() {
        return nodes;
    }

    public List<String> outputs() {
        return outputs;
    }

    public List<String> labels() {
        return labels;
    }

    public Map<String, Tensor> weights() {
        return weights;
    }

    /**
     * The normalization training applied to pixel values before they reached the model (the
     * train block's {@code normalize}, as the weights record it), or null when there was none.
     */
    public Normalize pixelNormalization() {
        return pixelNormalization;
    }

    /** The same graph with {@code normalization} (null: none) as its pixel normalization. */
    public Graph withPixelNormalization(Normalize normalization) {
        return new Graph(name, nodes, outputs, labels, weights, normalization);
    }

    public Node node(String nodeName) {
        Node n = byName.get(nodeName);
        if (n == null) {
            throw new IllegalArgumentException("no node named " + nodeName);
        }
        return n;
    }

    public boolean has(String nodeName) {
        return byName.containsKey(nodeName);
    }

    /** The nodes the graph's outputs depend on (themselves included), in graph (topological) order. */
    public List<Node> neededNodes() {
        return neededNodes(outputs);
    }

    /** The nodes {@code targets} depend on (themselves included), in graph (topological) order. */
    public List<Node> neededNodes(List<String> targets) {
        Set<String> needed = new HashSet<>();
        List<String> work = new ArrayList<>(targets);
        while (!work.isEmpty()) {
            String next = work.remove(work.size() - 1);
            if (needed.add(next)) {
                work.addAll(node(next).inputs());
            }
        }
        return nodes.stream().filter(n -> needed.contains(n.name())).toList();
    }

    /** The input nodes, in declaration order. */
    public List<Node> inputs() {
        List<Node> in = inputNodes;
        if (in == null) {
            in = nodes.stream().filter(n -> n.op() instanceof Input).toList();
            inputNodes = in;
        }
        return in;
    }

    /** Nodes that read {@code nodeName}, in graph order (from an index built on first use). */
    public List<Node> consumers(String nodeName) {
        Map<String, List<Node>> index = readers;
        if (index == null) {
            index = new HashMap<>();
            for (Node n : nodes) {
                for (String in : new LinkedHashSet<>(n.inputs())) {
                    index.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
            readers = index;
        }
        return List.copyOf(index.getOrDefault(nodeName, List.of()));
    }

    /** Shapes of a node's inputs. */
    public List<Shape> inputShapes(Node n) {
        return n.inputs().stream().map(i -> node(i).shape()).toList();
    }

    /** Number of learned and stored values the node's op needs (its {@link ParamSpec}s), e.g. 320 for conv2d(32, 3x3) on 1 channel. */
    public long paramCount(Node n) {
        long count = 0;
        for (ParamSpec p : n.op().params(inputShapes(n))) {
            count += p.shape().size();
        }
        return count;
    }

    /** The tensor bound to {@code node.param}, or null when weights are not bound. */
    public Tensor weight(Node n, String param) {
        return weights.get(n.paramKey(param));
    }

    public Graph withNodes(List<Node> newNodes) {
        return new Graph(name, newNodes, outputs, labels, weights, pixelNormalization);
    }

    public Graph withWeights(Map<String, Tensor> newWeights) {
        return new Graph(name, nodes, outputs, labels, newWeights, pixelNormalization);
    }

    /** The same graph with {@code newLabels} as its class labels. */
    public Graph withLabels(List<String> newLabels) {
        return new Graph(name, nodes, outputs, newLabels, weights, pixelNormalization);
    }

    public Graph withOutputs(List<String> newOutputs) {
        return new Graph(name, nodes, newOutputs, labels, weights, pixelNormalization);
    }

    /** Readable multi-line form used by {@code --dump-ir} and in test failures. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("graph ").append(name).append(" {\n");
        for (Node n : nodes) {
            sb.append("  ").append(n.name()).append(": ").append(n.shape()).append(" = ").append(n.op().kind());
            List<String> args = new ArrayList<>(n.inputs());
            String d = n.op().describe();
            if (!d.isEmpty()) {
                args.add(d);
            }
            sb.append('(').append(String.join(", ", args)).append(")\n");
        }
        return sb.append("  output ").append(String.join(", ", outputs)).append("\n}\n").toString();
    }
}
