package dev.striate.backend;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.ParamSpec;
import dev.striate.text.NameRules;
import dev.striate.weights.Show;
import dev.striate.weights.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Emits the standalone classifier for a shaped graph with bound weights: one public final
 * class using only {@code java.base}, plus its weights blob unless single-file mode is on.
 * Deterministic: the same graph and options give byte-identical files.
 */
public final class JavaBackend {
    /** Single-file mode embeds at most this many floats (16 MB, about 22 MB of base64 source). */
    public static final int MAX_SINGLE_FILE_WEIGHTS = 4 * 1024 * 1024;

    /**
     * Layers in one generated class. Each costs a few entries of the class's constant pool (at most
     * 65,535): about 8.1 for a chain of small dense layers (its method, a named offset per weights
     * tensor and its named scratch row), so javac refuses about 8,000 of them. 5,000 is tested to
     * compile (40,432 entries).
     */
    public static final int MAX_LAYERS = 5_000;

    private JavaBackend() {
    }

    /**
     * Generates the class (and the {@code ClassName.weights} resource unless
     * {@link GenerateOptions#singleFile()}). Graphs must have one input and one output, every
     * node shaped and every parameter bound; otherwise a {@link CompileException} says why.
     */
    public static List<GeneratedFile> generate(Graph graph, GenerateOptions options) {
        return emit(graph, options).files();
    }

    /**
     * What one instance of the class {@link #generate} writes for these arguments allocates: the
     * numbers come from the emitter that writes the fields. Checks as {@link #generate} does.
     */
    public static ClassFootprint footprint(Graph graph, GenerateOptions options) {
        return emit(graph, options).footprint();
    }

    private record Emitted(List<GeneratedFile> files, ClassFootprint footprint) {
    }

    private static Emitted emit(Graph graph, GenerateOptions options) {
        if (options.packageName() == null) {
            options = new GenerateOptions("", options.className(), options.singleFile(), options.variant());
        }
        check(graph, options);
        List<Node> nodes = graph.neededNodes();
        int layers = nodes.size() - graph.inputs().size();
        if (layers > MAX_LAYERS) {
            Node first = nodes.get(MAX_LAYERS + graph.inputs().size());
            throw new CompileException(Diagnostic.error(ErrorCode.TOO_MANY_LAYERS, first.pos(),
                    "model " + Show.text(graph.name()) + " has " + layers + " layers; one generated class holds at"
                    + " most " + MAX_LAYERS + " (a Java class has at most 65,535 constants, and each layer takes"
                    + " several); split the model into several"));
        }
        if (options.singleFile()) {
            long params = 0;
            for (Node n : nodes) {
                params += graph.paramCount(n);
            }
            checkSingleFile(graph, params);
        }
        ClassEmitter emitter = new ClassEmitter(graph, nodes, options);
        String source = emitter.emit().toString();
        String dir = options.packageName().isEmpty() ? "" : options.packageName().replace('.', '/') + "/";
        List<GeneratedFile> files = new ArrayList<>();
        files.add(new GeneratedFile(GeneratedFile.Kind.SOURCE, dir + options.className() + ".java",
                source.getBytes(StandardCharsets.UTF_8)));
        if (!options.singleFile()) {
            files.add(new GeneratedFile(GeneratedFile.Kind.RESOURCE, dir + options.className() + ".weights",
                    emitter.blob().toBytes()));
        }
        return new Emitted(files, emitter.footprint());
    }

    /** Refuses single-file mode for more than {@link #MAX_SINGLE_FILE_WEIGHTS} weights (checked before encoding them). */
    private static void checkSingleFile(Graph graph, long weights) {
        if (weights > MAX_SINGLE_FILE_WEIGHTS) {
            throw new CompileException(Diagnostic.error(ErrorCode.SINGLE_FILE_TOO_LARGE, SourcePos.NONE, "model "
                    + graph.name() + " has " + weights + " weights; single-file mode embeds at most "
                    + MAX_SINGLE_FILE_WEIGHTS + " (16 MB): write the weights as a resource blob instead"));
        }
    }

    private static void check(Graph graph, GenerateOptions options) {
        Diagnostics d = new Diagnostics();
        String classProblem = NameRules.classNameProblem(options.className());
        if (classProblem != null) {
            d.error(ErrorCode.BAD_CLASS_NAME, SourcePos.NONE, "class name '" + Show.text(options.className())
                    + "' " + classProblem);
        }
        String packageProblem = NameRules.packageNameProblem(options.packageName());
        if (packageProblem != null) {
            d.error(ErrorCode.BAD_CLASS_NAME, SourcePos.NONE, "package name '"
                    + Show.text(options.packageName()) + "' " + packageProblem);
        }
        if (graph.inputs().size() != 1) {
            d.error(ErrorCode.UNSUPPORTED, SourcePos.NONE, "model " + graph.name() + " has " + graph.inputs().size()
                    + " inputs; the Java backend supports models with exactly one input");
        }
        if (graph.outputs().size() != 1) {
            d.error(ErrorCode.UNSUPPORTED, SourcePos.NONE, "model " + graph.name() + " has " + graph.outputs().size()
                    + " outputs; the Java backend supports models with exactly one output");
        }
        int labelBytes = 0;
        for (String l : graph.labels()) {
            labelBytes += l.getBytes(StandardCharsets.UTF_8).length + 1;
            String problem = NameRules.textProblem(l, "a label");
            if (problem != null) {
                d.error(ErrorCode.BAD_TEXT, SourcePos.NONE, problem);
            }
        }
        if (labelBytes > 60_000) {
            d.error(ErrorCode.UNSUPPORTED, SourcePos.NONE, "the class labels take " + labelBytes
                    + " bytes; the Java backend supports up to 60000");
        }
        for (Node n : graph.nodes()) {
            if (!n.shape().isKnown()) {
                throw new IllegalArgumentException("node " + n.name() + " has no shape: run InferShapes first");
            }
            for (ParamSpec p : n.op().params(graph.inputShapes(n))) {
                Tensor t = graph.weight(n, p.name());
                if (t == null) {
                    d.error(ErrorCode.MISSING_TENSOR, n.pos(), "no weights bound for " + n.paramKey(p.name()));
                } else if (!Arrays.equals(t.shape(), p.shape().dims())) {
                    d.error(ErrorCode.TENSOR_SHAPE, n.pos(), n.paramKey(p.name()) + ": expected " + p.shape()
                            + ", found " + t.shapeString());
                }
            }
        }
        d.throwIfErrors();
    }
}
