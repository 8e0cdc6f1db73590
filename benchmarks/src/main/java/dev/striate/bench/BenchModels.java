package dev.striate.bench;

import dev.striate.Compiler;
import dev.striate.diag.Diagnostics;
import dev.striate.frontend.Frontend;
import dev.striate.ir.Graph;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmarked models with their weights: the reference fixtures {@code lenet5},
 * {@code mnist_cnn} and {@code tiny_resnet} as written, and {@code mnist_cnn_layers}, the same
 * MNIST network (same weights) written Keras-Sequential style with standalone activations,
 * dropout and an input rescale ({@code src/main/resources/dev/striate/bench}).
 */
final class BenchModels {
    /** Where the fixtures are, relative to the repository root. */
    static final String FIXTURES = "compiler/src/test/resources/fixtures";

    private BenchModels() {
    }

    /** The model's graph, parsed, shaped and with the fixture's weights bound. */
    static Graph load(String model) {
        Diagnostics diagnostics = new Diagnostics();
        String fixture = model.equals("mnist_cnn_layers") ? "mnist_cnn" : model;
        Path dir = fixtures().resolve(fixture);
        Graph graph;
        if (model.equals(fixture)) {
            graph = Compiler.loadModel(dir.resolve("model.cnn"), null, diagnostics);
        } else {
            graph = Frontend.parse(resource(model + ".cnn"), model + ".cnn").model(null, diagnostics);
        }
        return Compiler.bindWeights(graph, dir.resolve("model.weights.json"), diagnostics);
    }

    /** The fixtures directory: {@code -Dstriate.fixtures}, else found above the working directory. */
    static Path fixtures() {
        String set = System.getProperty("striate.fixtures");
        if (set != null) {
            return Path.of(set);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(FIXTURES))) {
                return p.resolve(FIXTURES);
            }
        }
        throw new IllegalStateException("cannot find " + FIXTURES + " above " + Path.of("").toAbsolutePath()
                + "; run from the repository or set -Dstriate.fixtures");
    }

    private static String resource(String name) {
        try (InputStream in = BenchModels.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
