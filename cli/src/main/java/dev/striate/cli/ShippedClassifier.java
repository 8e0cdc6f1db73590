package dev.striate.cli;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.Limits;
import dev.striate.backend.GeneratedFile;
import dev.striate.cli.demo.JavaSourceCompiler;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Activation;
import dev.striate.ir.Graph;
import dev.striate.ir.Shape;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class {@code striate compile} would ship for a model and its weights, compiled in-process
 * (javac, {@code --release 11}, {@code java.base} only) in a temporary folder and loaded: what
 * {@code striate predict} runs, so that its answers are the shipped class's. Its
 * {@link #predictPixels} takes pixel values {@code 0..255} and calls the class's
 * {@code predictPixels} when it has one (the train block normalized the data), else its
 * {@code predict} (the model's own layers scale the pixels). Close it to delete the folder.
 */
final class ShippedClassifier implements AutoCloseable {
    private static final String CLASS_NAME = "Classifier";

    private final Path work;
    private final URLClassLoader loader;
    private final Object instance;
    private final Method forward;
    private final Graph graph;

    private ShippedClassifier(Path work, URLClassLoader loader, Object instance, Method forward, Graph graph) {
        this.work = work;
        this.loader = loader;
        this.instance = instance;
        this.forward = forward;
        this.graph = graph;
    }

    /** Compiles and loads {@code modelName} of {@code source} with the weights {@code weights}. */
    static ShippedClassifier load(Path source, String modelName, Path weights, Limits limits) throws IOException {
        if (!JavaSourceCompiler.available()) {
            throw new CompileException(Diagnostic.error(ErrorCode.UNSUPPORTED, SourcePos.NONE,
                    "predict compiles the model's class in-process and needs a JDK; this Java runtime has no compiler"));
        }
        Path work = Files.createTempDirectory("striate-predict-");
        try {
            Path src = work.resolve("src");
            Path classes = work.resolve("classes");
            CompileResult compiled = Compiler.compile(CompileRequest.builder(source).modelName(modelName)
                    .weights(weights).className(CLASS_NAME).limits(limits)
                    .sourceOutput(src).resourceOutput(classes).build());
            List<Path> sources = compiled.files().stream().filter(f -> f.kind() == GeneratedFile.Kind.SOURCE)
                    .map(f -> src.resolve(f.relativePath())).toList();
            JavaSourceCompiler.compile(sources, classes);
            URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            try {
                Class<?> type = loader.loadClass(CLASS_NAME);
                Object instance = type.getMethod("load").invoke(null);
                boolean pixels = Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals("predictPixels"));
                Method forward = type.getMethod(pixels ? "predictPixels" : "predict", float[].class);
                return new ShippedClassifier(work, loader, instance, forward, compiled.graph());
            } catch (InvocationTargetException e) {
                loader.close();
                throw new IllegalStateException("the generated class failed to load its weights", e.getCause());
            } catch (ReflectiveOperationException | RuntimeException e) {
                loader.close();
                throw new IllegalStateException("cannot load the generated class", e);
            }
        } catch (IOException | RuntimeException e) {
            delete(work);
            throw e;
        }
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
        try {
            return (float[]) forward.invoke(instance, (Object) pixels);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            loader.close();
        } finally {
            delete(work);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
