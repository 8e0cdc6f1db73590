package dev.striate.passes;

import dev.striate.data.Normalization;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Normalize;
import dev.striate.ir.ParamSpec;
import dev.striate.ir.Shape;
import dev.striate.text.NameRules;
import dev.striate.weights.Show;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a weights file to a shaped graph: every parameter the ops need must be present with
 * the exact shape and finite values; extra tensors are errors. Each mismatch is reported,
 * naming the tensor and both shapes. A model name that differs from the file's is a warning.
 */
public final class BindWeights {
    /** One learned tensor a graph needs: the node that owns it and its spec. */
    record Param(Node node, ParamSpec spec) {
        String key() {
            return node.paramKey(spec.name());
        }
    }

    private BindWeights() {
    }

    /**
     * Reports every missing, misshapen, non-finite and extra tensor to {@code diagnostics} and
     * returns the graph with the matching tensors bound (keyed {@code layer.param}, in graph order).
     *
     * @param weightsPos where the weights file is (for diagnostics about extra tensors)
     */
    public static Graph run(Graph graph, WeightSet weights, SourcePos weightsPos, Diagnostics diagnostics) {
        List<Param> params = params(graph);
        Map<String, Param> expected = new LinkedHashMap<>();
        for (Param p : params) {
            expected.put(p.key(), p);
        }
        Map<String, Tensor> bound = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Param p : params) {
            Tensor t = weights.tensors().get(p.key());
            SourcePos pos = p.node().pos();
            if (t == null) {
                missing.add(p.key());
                diagnostics.error(ErrorCode.MISSING_TENSOR, pos, "missing tensor " + p.key() + ": layer "
                        + p.node().name() + " needs a " + p.spec().name() + " of shape " + p.spec().shape());
            } else if (!Arrays.equals(t.shape(), p.spec().shape().dims())) {
                diagnostics.error(ErrorCode.TENSOR_SHAPE, pos,
                        p.key() + ": expected " + p.spec().shape() + ", found " + t.shapeString());
            } else if (t.firstNonFinite() >= 0) {
                int i = t.firstNonFinite();
                diagnostics.error(ErrorCode.NON_FINITE_WEIGHT, pos, p.key() + ": element " + i + " (index "
                        + t.indexString(i) + ") is " + t.data()[i] + "; weights must be finite");
            } else {
                bound.put(p.key(), t);
            }
        }
        for (String name : weights.tensors().keySet()) {
            if (!expected.containsKey(name)) {
                String hint = closest(name, missing);
                diagnostics.error(ErrorCode.EXTRA_TENSOR, weightsPos, "unexpected tensor " + Show.text(name)
                        + ": model " + graph.name() + " has no such parameter"
                        + (hint == null ? "" : " (did you mean " + hint + "?)"));
            }
        }
        if (weights.modelName() != null && !weights.modelName().equals(graph.name())) {
            diagnostics.warning(ErrorCode.WEIGHTS_MODEL_NAME, weightsPos, "the weights were written for model "
                    + Show.text(weights.modelName()) + ", not " + graph.name());
        }
        return bindNormalization(bindLabels(graph, weights, weightsPos, diagnostics), weights, weightsPos, diagnostics)
                .withWeights(bound);
    }

    /**
     * The graph with the labels the weights record when it declares none (E409 when they do not
     * fit its output or are not printable text); E409 when it declares labels and the weights
     * record others, since the weights were then trained with another class order.
     */
    private static Graph bindLabels(Graph graph, WeightSet weights, SourcePos pos, Diagnostics diagnostics) {
        List<String> recorded = weights.labels();
        if (recorded.isEmpty()) {
            return graph;
        }
        if (!graph.labels().isEmpty()) {
            if (!graph.labels().equals(recorded)) {
                diagnostics.error(ErrorCode.WEIGHTS_LABELS, pos, "the weights were trained with the labels "
                        + shown(recorded) + " but the model declares " + shown(graph.labels())
                        + "; train again, or declare the labels in the weights' order");
            }
            return graph;
        }
        boolean fits = true;
        for (String label : recorded) {
            String problem = NameRules.textProblem(label, "the label");
            if (problem != null) {
                diagnostics.error(ErrorCode.WEIGHTS_LABELS, pos, "labels of the weights file: " + problem);
                fits = false;
            }
        }
        if (graph.outputs().size() != 1 || graph.node(graph.outputs().get(0)).shape().rank() != 1
                || graph.node(graph.outputs().get(0)).shape().size() != recorded.size()) {
            diagnostics.error(ErrorCode.WEIGHTS_LABELS, pos, "the weights file records " + recorded.size()
                    + " labels but model " + graph.name() + " does not have one flat output of that size");
            fits = false;
        }
        return fits ? graph.withLabels(recorded) : graph;
    }

    /**
     * The graph with the pixel normalization the weights record (E410 when its channels fit
     * neither one value for all nor one per channel of the model's input).
     */
    private static Graph bindNormalization(Graph graph, WeightSet weights, SourcePos pos, Diagnostics diagnostics) {
        Normalization n = weights.normalization();
        if (n == null) {
            return graph;
        }
        Shape input = graph.inputs().get(0).shape();
        int channels = input.rank() == 3 ? input.channels() : 1;
        float[] mean = n.mean();
        if (mean.length != 1 && mean.length != channels) {
            diagnostics.error(ErrorCode.WEIGHTS_NORMALIZATION, pos, "the weights record a normalization of "
                    + mean.length + " channels, but the input of model " + graph.name() + " " + input + " has "
                    + channels);
            return graph;
        }
        return graph.withPixelNormalization(new Normalize(floats(mean), floats(n.std())));
    }

    private static List<Float> floats(float[] values) {
        List<Float> out = new ArrayList<>();
        for (float v : values) {
            out.add(v);
        }
        return out;
    }

    /** The labels as a list of quoted texts, cut after 20. */
    private static String shown(List<String> labels) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(labels.size(), 20); i++) {
            sb.append(i == 0 ? "" : ", ").append('"').append(Show.text(labels.get(i))).append('"');
        }
        return sb.append(labels.size() > 20 ? ", ... (" + labels.size() + " in all)]" : "]").toString();
    }

    /**
     * The learned tensors of a shaped graph in graph order (each node's params in the order its
     * op lists them).
     *
     * @throws IllegalStateException when a node's input shapes are not inferred yet
     */
    static List<Param> params(Graph graph) {
        List<Param> out = new ArrayList<>();
        for (Node n : graph.nodes()) {
            List<Shape> in = graph.inputShapes(n);
            if (in.stream().anyMatch(s -> !s.isKnown())) {
                throw new IllegalStateException("node " + n.name() + " has inputs of unknown shape: run InferShapes first");
            }
            for (ParamSpec spec : n.op().params(in)) {
                out.add(new Param(n, spec));
            }
        }
        return out;
    }

    /**
     * The candidate closest to {@code name} (Levenshtein distance, first wins ties), or null
     * when none is within {@code max(2, name.length() / 3)} edits.
     */
    private static String closest(String name, Collection<String> candidates) {
        int limit = Math.max(2, name.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            if (Math.abs(name.length() - c.length()) > limit) {
                continue; // the distance is at least the difference in length
            }
            int d = distance(name, c);
            if (d <= limit && d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
