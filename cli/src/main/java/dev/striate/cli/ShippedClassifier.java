package dev.striate.cli;

import dev.striate.CompileRequest;
import dev.striate.Compiler;
import dev.striate.EnsembleRequest;
import dev.striate.Limits;
import dev.striate.cli.demo.JavaSourceCompiler;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Activation;
import dev.striate.ir.Graph;
import dev.striate.ir.Shape;
import dev.striate.training.ShippedClass;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The class {@code striate compile} would ship for a model and its weights (the same request and
 * checks as {@code check}), compiled in memory and loaded as {@link ShippedClass} (as {@code evaluate}
 * does): what {@code striate predict} runs, so that its answers are the shipped class's. Its
 * {@link #predictPixels} takes pixel values {@code 0..255} and calls the class's
 * {@code predictPixels} when it has one (the train block normalized the data), else its
 * {@code predict} (the model's own layers scale the pixels).
 */
final class ShippedClassifier {
    private static final String CLASS_NAME = "Classifier";

    private final UnaryOperator<float[]> forward;
    private final Graph graph;

    private ShippedClassifier(UnaryOperator<float[]> forward, Graph graph) {
        this.forward = forward;
        this.graph = graph;
    }

    /** Compiles and loads {@code modelName} of {@code source} with the weights {@code weights}. */
    static ShippedClassifier load(Path source, String modelName, Path weights, Limits limits) {
        requireCompiler();
        Compiler.Checked checked = Compiler.check(CompileRequest.builder(source).modelName(modelName)
                .weights(weights).className(CLASS_NAME).limits(limits).build());
        return load(checked, CLASS_NAME);
    }

    /**
     * Compiles and loads the ensemble class {@code striate compile --ensemble} would ship for {@code request}
     * (the same checks); its model (input, labels, outputs) is the first member's, which the others agree with.
     */
    static ShippedClassifier loadEnsemble(EnsembleRequest request) {
        requireCompiler();
        return load(Compiler.checkEnsemble(request), request.className());
    }

    /**
     * The ensemble class {@code striate compile --ensemble} would ship for {@code request} (the same checks),
     * compiled and loaded, as {@code evaluate --ensemble} runs it.
     */
    static ShippedClass compileEnsemble(EnsembleRequest request) {
        requireCompiler();
        return shipped(Compiler.checkEnsemble(request), request.className());
    }

    private static void requireCompiler() {
        if (!JavaSourceCompiler.available()) {
            throw new CompileException(Diagnostic.error(ErrorCode.UNSUPPORTED, SourcePos.NONE,
                    "predict compiles the model's class in-process and needs a JDK; this Java runtime has no compiler"));
        }
    }

    private static ShippedClassifier load(Compiler.Checked checked, String className) {
        return new ShippedClassifier(shipped(checked, className).newPixelInstance(), checked.bound());
    }

    private static ShippedClass shipped(Compiler.Checked checked, String className) {
        return ShippedClass.load(checked.bound(), checked.files(), className);
    }

    /** The model's input shape. */
    Shape inputShape() {
        return graph.inputs().get(0).shape();
    }

    /** The class labels (declared, or recorded in the weights), or empty. */
    List<String> labels() {
        return graph.labels();
    }

    /** Whether the model is a classifier: one flat output of class scores. */
    boolean classifies() {
        return graph.node(graph.outputs().get(0)).shape().rank() == 1;
    }

    /** The number of outputs. */
    int outputs() {
        return graph.node(graph.outputs().get(0)).shape().size();
    }

    /** Whether the outputs are probabilities: the model ends in a softmax. */
    boolean probabilities() {
        Activation a = graph.node(graph.outputs().get(0)).op().appliedActivation();
        return a instanceof Activation.Softmax;
    }

    /** The class's outputs for one image's pixel values {@code 0..255}, channel-major. */
    float[] predictPixels(float[] pixels) {
        return forward.apply(pixels);
    }
}
