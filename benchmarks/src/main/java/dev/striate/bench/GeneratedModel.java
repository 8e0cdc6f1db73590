package dev.striate.bench;

import dev.striate.backend.GenerateOptions;
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
 * and its weights blob into a temporary directory, javac compiles it with {@code --release 11},
 * and a fresh class loader loads it. {@link #predict} is its allocation-free
 * {@code predict(float[], float[])} on one instance.
 */
final class GeneratedModel {
    private final MethodHandle predict;
    private final int inputSize;
    private final int outputSize;

    private GeneratedModel(MethodHandle predict, int inputSize, int outputSize) {
        this.predict = predict;
        this.inputSize = inputSize;
        this.outputSize = outputSize;
    }

    static GeneratedModel of(Graph graph, String className) {
        try {
            Path dir = Files.createTempDirectory("striate-bench");
            List<String> sources = new ArrayList<>();
            for (GeneratedFile f : JavaBackend.generate(graph, new GenerateOptions("bench", className, false))) {
                Path target = dir.resolve(f.relativePath());
                Files.createDirectories(target.getParent());
                Files.write(target, f.content());
                if (f.kind() == GeneratedFile.Kind.SOURCE) {
                    sources.add(target.toString());
                }
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            List<String> args = new ArrayList<>(List.of("--release", "11", "-d", dir.toString()));
            args.addAll(sources);
            if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
                throw new IllegalStateException("generated code for " + graph.name() + " does not compile");
            }
            ClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, GeneratedModel.class.getClassLoader());
            Class<?> type = Class.forName("bench." + className, true, loader);
            Object instance = type.getMethod("load").invoke(null);
            MethodHandle predict = MethodHandles.publicLookup()
                    .findVirtual(type, "predict", MethodType.methodType(void.class, float[].class, float[].class))
                    .bindTo(instance);
            return new GeneratedModel(predict, type.getField("INPUT_SIZE").getInt(null),
                    type.getField("OUTPUT_SIZE").getInt(null));
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
}
