package dev.striate.backend.train;

import dev.striate.backend.GeneratedFile;
import dev.striate.ir.Activation;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.passes.Pass;
import dev.striate.passes.PassPipeline;
import dev.striate.train.TrainableModel;
import dev.striate.weights.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.SourceVersion;

/**
 * Entry point of the trainer backend: generates, for a shaped graph, a class implementing
 * {@link TrainableModel} (it depends on the runtime jar), and compiles and loads it in-process.
 * Deterministic: the same graph and options give byte-identical source.
 */
public final class TrainerBackend {
    private TrainerBackend() {
    }

    /** The trainer source with {@link TrainerOptions#DEFAULT} (a final softmax or sigmoid is dropped: outputs are logits). */
    public static List<GeneratedFile> generate(Graph graph, String packageName, String className) {
        return generate(graph, packageName, className, TrainerOptions.DEFAULT);
    }

    public static List<GeneratedFile> generate(Graph graph, String packageName, String className, TrainerOptions options) {
        String pkg = packageName == null ? "" : packageName;
        if (!SourceVersion.isName(className) || className.contains(".")) {
            throw new IllegalArgumentException("'" + className + "' is not a valid Java class name");
        }
        if (!pkg.isEmpty() && !SourceVersion.isName(pkg)) {
            throw new IllegalArgumentException("'" + pkg + "' is not a valid Java package name");
        }
        if (graph.inputs().size() != 1 || graph.outputs().size() != 1) {
            throw new IllegalArgumentException("model " + graph.name() + " has " + graph.inputs().size() + " inputs and "
                    + graph.outputs().size() + " outputs; the trainer supports exactly one of each");
        }
        for (Node n : graph.nodes()) {
            if (!n.shape().isKnown()) {
                throw new IllegalArgumentException("node " + n.name() + " has no shape: run InferShapes first");
            }
        }
        Graph trained = options.optimize() ? trainingGraph(graph) : graph;
        Graph g = options.logits() ? FinalActivation.strip(trained) : trained;
        String source = new TrainerClassEmitter(g, g.neededNodes(), streams(graph), pkg, className,
                options.inputGradient(), options.relu()).emit().toString();
        String path = (pkg.isEmpty() ? "" : pkg.replace('.', '/') + "/") + className + ".java";
        return List.of(new GeneratedFile(GeneratedFile.Kind.SOURCE, path, source.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The graph a trainer is generated from: {@code graph} after the passes of
     * {@link PassPipeline#standard()} that run in {@link Pass.Mode#TRAINING} (they compute the same
     * function with the same trained parameters: identity elimination, pad merging, constant folding,
     * activation fusion, dead nodes), verified after each. The passes that change what is trained
     * (batch-norm folding and lowering, normalization folded into weights, dropout dropped, conv+pool
     * fusion, which has no gradient rule) are inference-only there and do not run.
     */
    public static Graph trainingGraph(Graph graph) {
        return PassPipeline.optimize(graph, Pass.Mode.TRAINING, null);
    }

    /**
     * Each needed node's random-stream index ({@code RuleContext.nodeIndex}): its position, from 1,
     * among the needed nodes of the graph as written. Passes keep node names, so a dropout's masks
     * are those of the unoptimized trainer for the same seed.
     */
    private static Map<String, Integer> streams(Graph graph) {
        Map<String, Integer> streams = new HashMap<>();
        for (Node n : graph.neededNodes()) {
            streams.put(n.name(), streams.size() + 1);
        }
        return streams;
    }

    /**
     * The softmax or sigmoid at the end of {@code graph} that a trainer with
     * {@link TrainerOptions#logits()} leaves out (its outputs are the logits before it), or null
     * when the trainer outputs what the model does.
     */
    public static Activation logitsDrop(Graph graph) {
        return FinalActivation.stripped(graph);
    }

    /**
     * Generates, compiles and instantiates the trainer for a graph with bound weights, with
     * {@link TrainerOptions#DEFAULT}. The trainer works on copies of the graph's tensors.
     */
    public static TrainableModel load(Graph graph) {
        return load(graph, TrainerOptions.DEFAULT);
    }

    public static TrainableModel load(Graph graph, TrainerOptions options) {
        String className = "Trainer_" + javaName(graph.name());
        List<GeneratedFile> files = generate(graph, "dev.striate.generated", className, options);
        Class<?> type = InProcessCompiler.compile(files, "dev.striate.generated." + className);
        Map<String, Tensor> copies = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : graph.weights().entrySet()) {
            Tensor t = e.getValue();
            copies.put(e.getKey(), new Tensor(e.getKey(), t.shape(), t.data().clone()));
        }
        try {
            return (TrainableModel) type.getConstructor(Map.class).newInstance(copies);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate the generated trainer", e);
        }
    }

    private static String javaName(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) {
            sb.append(Character.isJavaIdentifierPart(c) && c != '$' ? c : '_');
        }
        return sb.toString();
    }
}
