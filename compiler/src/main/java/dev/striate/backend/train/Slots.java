package dev.striate.backend.train;

import dev.striate.autodiff.GradRule;
import dev.striate.autodiff.GradRules;
import dev.striate.ir.Graph;
import dev.striate.ir.Input;
import dev.striate.ir.Node;
import dev.striate.ir.ParamSpec;
import dev.striate.text.JavaText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trainer's storage plan: a Java identifier per node, which nodes need gradients, the array
 * field each node reads and writes (aliases share their input's), and the learned parameters and
 * buffers in graph order. Deterministic for a given graph.
 */
final class Slots {
    /** A parameter or buffer: its weights-file key, shape, and the model field holding its data. */
    record Param(String key, int[] shape, String field, boolean learned) {
    }

    final Graph graph;
    final List<Node> nodes;
    final Map<String, GradRule> rules = new HashMap<>();
    final Map<String, String> ident = new HashMap<>();
    final Map<String, String> act = new LinkedHashMap<>();
    final Map<String, String> grad = new LinkedHashMap<>();
    final Set<String> needsGrad = new HashSet<>();
    final List<Param> params = new ArrayList<>();
    final Map<String, Param> paramByKey = new HashMap<>();
    private final Set<String> methods = new HashSet<>();
    /** Every field name handed out, with the generated classes' own fields reserved. */
    private final Set<String> fields = new HashSet<>(Set.of("INPUT_SIZE", "OUTPUT_SIZE", "parameters", "buffers",
            "workers", "maxBatch", "seed", "primary", "lastBatch", "gradients"));

    Slots(Graph graph, List<Node> nodes, boolean inputGradient) {
        this.graph = graph;
        this.nodes = nodes;
        Set<String> used = new HashSet<>();
        for (Node n : nodes) {
            rules.put(n.name(), GradRules.forOp(n.op()));
            ident.put(n.name(), identifier(n.name(), used));
            boolean hasParams = false;
            for (ParamSpec p : n.op().params(graph.inputShapes(n))) {
                boolean learned = !GradRules.BUFFER_PARAMS.contains(p.name());
                hasParams |= learned;
                Param param = new Param(n.paramKey(p.name()), p.shape().dims(),
                        field(ident.get(n.name()) + "_" + p.name()), learned);
                params.add(param);
                paramByKey.put(param.key(), param);
            }
            boolean upstream = n.inputs().stream().anyMatch(needsGrad::contains);
            if (hasParams || upstream || (n.op() instanceof Input && inputGradient)) {
                needsGrad.add(n.name());
            }
            if (isAlias(n)) {
                String src = n.inputs().get(0);
                act.put(n.name(), act.get(src));
                if (grad.containsKey(src)) {
                    grad.put(n.name(), grad.get(src));
                }
            } else {
                act.put(n.name(), field("act_" + ident.get(n.name())));
                if (needsGrad.contains(n.name())) {
                    grad.put(n.name(), field("grad_" + ident.get(n.name())));
                }
            }
        }
    }

    /**
     * A field name not yet used: {@code base}, or {@code base_2}, {@code base_3}... Parameter
     * gradients take {@code d_} + the parameter's field, so those names are reserved with it.
     */
    String field(String base) {
        String name = base;
        for (int k = 2; fields.contains(name) || fields.contains("d_" + name); k++) {
            name = base + "_" + k;
        }
        fields.add(name);
        fields.add("d_" + name);
        return name;
    }

    /** A method name not yet used: {@code base}, or {@code base_2}, {@code base_3}... */
    String method(String base) {
        String name = base;
        for (int k = 2; !methods.add(name); k++) {
            name = base + "_" + k;
        }
        return name;
    }

    /** True for a {@linkplain dev.striate.ir.Op#isTrainingView() training view}: it shares its input's arrays. */
    boolean isAlias(Node n) {
        return n.op().isTrainingView();
    }

    List<Param> learned() {
        return params.stream().filter(Param::learned).toList();
    }

    List<Param> buffers() {
        return params.stream().filter(p -> !p.learned()).toList();
    }

    private static String identifier(String name, Set<String> used) {
        return JavaText.identifier(name, "layer_", base -> false, used);
    }
}
