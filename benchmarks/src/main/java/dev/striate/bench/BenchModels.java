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
import java.util.List;

/**
 * The benchmarked models with their weights: the reference fixtures {@code lenet5},
 * {@code mnist_cnn} and {@code tiny_resnet} as written; {@code mnist_cnn_layers}, the same
 * MNIST network (same weights) written Keras-Sequential style with standalone activations,
 * dropout and an input rescale; and the inference benchmark's own models {@code fashion_cnn},
 * {@code go_net} and {@code dw_block}, whose seeded weights {@code tools/bench/export_onnx.py}
 * writes to the benchmark cache ({@link BenchData#dir}). Sources of the last four:
 * {@code src/main/resources/dev/striate/bench}.
 */
final class BenchModels {
    /** Where the fixtures are, relative to the repository root. */
    static final String FIXTURES = "compiler/src/test/resources/fixtures";

    /** The models of the inference table ({@code tools/bench/inference.sh}), in its order. */
    static final List<String> INFERENCE = List.of("lenet5", "mnist_cnn", "tiny_resnet", "fashion_cnn", "go_net",
            "dw_block");

    /** Models written for the benchmark: source in this module's resources, weights in the cache. */
    private static final List<String> OWN = List.of("fashion_cnn", "go_net", "dw_block");

    private BenchModels() {
    }

    /** The model's graph, parsed, shaped and with the fixture's weights bound. */
    static Graph load(String model) {
        Diagnostics diagnostics = new Diagnostics();
        if (OWN.contains(model)) {
            Path manifest = BenchData.dir(model).resolve("model.weights.json");
            if (!Files.isRegularFile(manifest)) {
                throw new IllegalStateException("no " + manifest + ": run /usr/bin/python3 tools/bench/export_onnx.py");
            }
            return Compiler.bindWeights(unbound(model, diagnostics), manifest, diagnostics);
        }
        String fixture = model.equals("mnist_cnn_layers") ? "mnist_cnn" : model;
        Path dir = fixtures().resolve(fixture);
        Graph graph;
        if (model.equals(fixture)) {
            graph = Compiler.loadModel(dir.resolve("model.cnn"), null, diagnostics);
        } else {
            graph = unbound(model, diagnostics);
        }
        return Compiler.bindWeights(graph, dir.resolve("model.weights.json"), diagnostics);
    }

    /** A model written in this module's resources ({@code <model>.cnn}), shaped, without weights. */
    static Graph unbound(String model, Diagnostics diagnostics) {
        return Frontend.parse(resource(model + ".cnn"), model + ".cnn").model(null, diagnostics);
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
