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
import java.util.concurrent.Executor;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The generated classifier of a graph, as a user gets it: {@link JavaBackend} writes the class
 * and its weights blob into a temporary directory, javac compiles it ({@code --release 11} for
 * the scalar variant; {@code --release 17 --add-modules jdk.incubator.vector} for the vector
 * one, see {@link Variants}), and a fresh class loader loads it. {@link #predict} is its
 * allocation-free {@code predict(float[], float[])} on one instance, {@link #predictBatch} its
 * allocation-free {@code predictBatch(float[][], float[][])} on the calling thread or its
 * {@code predictBatch(float[][], float[][], Executor, int)} spread over threads. How long each step
 * took is kept ({@link #generateNanos}, {@link #javacNanos}, {@link #loadNanos}).
 */
final class GeneratedModel {
    private static final MethodType PREDICT = MethodType.methodType(void.class, float[].class, float[].class);
    private static final MethodType PREDICT_BATCH = MethodType.methodType(void.class, float[][].class, float[][].class);
    private static final MethodType PREDICT_THREADED = MethodType.methodType(void.class, float[][].class,
            float[][].class, Executor.class, int.class);

    private final MethodHandle predict;
    private final MethodHandle predictBatch;
    private final MethodHandle predictThreaded;
    private final int inputSize;
    private final int outputSize;
    private final long generateNanos;
    private final long javacNanos;
    private final long loadNanos;

    private GeneratedModel(Class<?> type, Object instance, long generateNanos, long javacNanos, long loadNanos)
            throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        this.predict = lookup.findVirtual(type, "predict", PREDICT).bindTo(instance);
        this.predictBatch = lookup.findVirtual(type, "predictBatch", PREDICT_BATCH).bindTo(instance);
        this.predictThreaded = lookup.findVirtual(type, "predictBatch", PREDICT_THREADED).bindTo(instance);
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

    /** The class's sequential {@code predictBatch(inputs, outputs)}. */
    void predictBatch(float[][] inputs, float[][] outputs) {
        try {
            predictBatch.invokeExact(inputs, outputs);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The class's {@code predictBatch(inputs, outputs, executor, parallelism)}. */
    void predictBatch(float[][] inputs, float[][] outputs, Executor executor, int parallelism) {
        try {
            predictThreaded.invokeExact(inputs, outputs, executor, parallelism);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
