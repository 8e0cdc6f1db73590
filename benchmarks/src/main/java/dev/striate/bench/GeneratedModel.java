package dev.striate.bench;

import dev.striate.backend.GeneratedFile;
import dev.striate.backend.JavaBackend;
import dev.striate.ir.Graph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The generated classifier of a graph, as a user gets it: {@link JavaBackend} writes the class
 * and its weights blob into a temporary directory, javac compiles it ({@code --release 11} for
 * the scalar variant; {@code --release 17 --add-modules jdk.incubator.vector} for the vector
 * one, see {@link Variants}), and a fresh class loader loads it. {@link #predict} is its
 * allocation-free {@code predict(float[], float[])} on one instance, {@link #predictBatch} its
 * {@code predictBatch(float[][])}; {@link #newInstance} makes another instance (one per thread:
 * an instance owns its scratch buffers). How long each step took is kept ({@link #generateNanos},
 * {@link #javacNanos}, {@link #loadNanos}).
 */
final class GeneratedModel {
    private static final MethodType PREDICT = MethodType.methodType(void.class, float[].class, float[].class);
    private static final MethodType PREDICT_BATCH = MethodType.methodType(float[][].class, float[][].class);

    private final Class<?> type;
    private final MethodHandle predict;
    private final MethodHandle predictBatch;
    private final int inputSize;
    private final int outputSize;
    private final long generateNanos;
    private final long javacNanos;
    private final long loadNanos;

    private GeneratedModel(Class<?> type, Object instance, long generateNanos, long javacNanos, long loadNanos)
            throws ReflectiveOperationException {
        this.type = type;
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        this.predict = lookup.findVirtual(type, "predict", PREDICT).bindTo(instance);
        this.predictBatch = lookup.findVirtual(type, "predictBatch", PREDICT_BATCH).bindTo(instance);
        this.inputSize = type.getField("INPUT_SIZE").getInt(null);
        this.outputSize = type.getField("OUTPUT_SIZE").getInt(null);
        this.generateNanos = generateNanos;
        this.javacNanos = javacNanos;
        this.loadNanos = loadNanos;
    }

    /** The scalar class of {@code graph}. */
    static GeneratedModel of(Graph graph, String className) {
        return of(graph, className, Variants.SCALAR);
    }

    /** The class of {@code graph} in the given variant ({@link Variants}). */
    static GeneratedModel of(Graph graph, String className, String variant) {
        boolean vector = variant.equals(Variants.VECTOR);
        if (vector && ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            throw new IllegalStateException("the vector variant needs a JVM started with --add-modules"
                    + " jdk.incubator.vector (else it would silently run its scalar fallback)");
        }
        try {
            long t0 = System.nanoTime();
            Path dir = Files.createTempDirectory("striate-bench");
            List<String> sources = new ArrayList<>();
            for (GeneratedFile f : JavaBackend.generate(graph, Variants.options(variant, "bench", className))) {
                Path target = dir.resolve(f.relativePath());
                Files.createDirectories(target.getParent());
                Files.write(target, f.content());
                if (f.kind() == GeneratedFile.Kind.SOURCE) {
                    sources.add(target.toString());
                }
            }
            long t1 = System.nanoTime();
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            List<String> args = new ArrayList<>(vector
                    ? List.of("--release", "17", "--add-modules", "jdk.incubator.vector", "-nowarn")
                    : List.of("--release", "11"));
            args.addAll(List.of("-d", dir.toString()));
            args.addAll(sources);
            if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
                throw new IllegalStateException("generated code for " + graph.name() + " (" + variant
                        + ") does not compile");
            }
            long t2 = System.nanoTime();
            ClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, GeneratedModel.class.getClassLoader());
            Class<?> type = Class.forName("bench." + className, true, loader);
            Object instance = type.getMethod("load").invoke(null);
            long t3 = System.nanoTime();
            return new GeneratedModel(type, instance, t1 - t0, t2 - t1, t3 - t2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Another instance of the same class (its own scratch buffers, the same weights). */
    GeneratedModel newInstance() {
        try {
            return new GeneratedModel(type, type.getMethod("load").invoke(null), 0, 0, 0);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    int inputSize() {
        return inputSize;
    }

    int outputSize() {
        return outputSize;
    }

    /** Writing the generated files (JavaBackend.generate and the file writes). */
    long generateNanos() {
        return generateNanos;
    }

    /** javac on the generated source. */
    long javacNanos() {
        return javacNanos;
    }

    /** Loading and initializing the class, and its {@code load()} (reads the weights). */
    long loadNanos() {
        return loadNanos;
    }

    /** One forward pass of {@code input} into {@code output}. */
    void predict(float[] input, float[] output) {
        try {
            predict.invokeExact(input, output);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The class's own {@code predictBatch}: one new output array per input. */
    float[][] predictBatch(float[][] inputs) {
        try {
            return (float[][]) predictBatch.invokeExact(inputs);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
