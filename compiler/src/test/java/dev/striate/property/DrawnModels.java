package dev.striate.property;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.ParamSpec;
import dev.striate.ir.Shape;
import dev.striate.testing.Tolerance;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightSet;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small test models with weights drawn as a trained layer's (Kaiming-uniform for 3x3 windows, bias within 0.1:
 * outputs of order 1, as in the fixtures), compiled; shared by the Winograd tests of both variants.
 */
final class DrawnModels {
    private DrawnModels() {
    }

    /** A compiled model, its graph with the drawn weights bound (for the reference interpreter), its input size. */
    record Drawn(CompileResult result, Graph bound, int size) {
        /** The generated class's source. */
        String java() {
            return new String(result.files().get(0).content(), StandardCharsets.UTF_8);
        }

        /** Post-relu activations of order 1: {@code max(0, N(0, 1))}. */
        float[] input(Random random) {
            float[] x = new float[size];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.max(0, random.nextGaussian());
            }
            return x;
        }
    }

    /** Writes {@code source} as {@code name}.cnn under {@code dir}, draws its weights from {@code seed}, compiles it. */
    static Drawn compile(Path dir, String name, String source, long seed, boolean vector) throws IOException {
        Path sub = Files.createDirectories(dir.resolve(name + seed));
        Path file = sub.resolve(name + ".cnn");
        Files.writeString(file, source, StandardCharsets.UTF_8);
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(file, null, diagnostics);
        Path weights = sub.resolve(name + ".weights.json");
        Random random = new Random(seed);
        List<Tensor> tensors = new ArrayList<>();
        for (Node n : graph.nodes()) {
            List<Shape> in = graph.inputShapes(n);
            for (ParamSpec p : n.op().params(in)) {
                float[] values = new float[p.shape().size()];
                double bound = p.name().equals("bias") ? 0.1 : Math.sqrt(6.0 / (9 * in.get(0).channels()));
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
                }
                tensors.add(new Tensor(n.name() + "." + p.name(), p.shape().dims(), values));
            }
        }
        WeightsFile.write(weights, WeightSet.of(graph.name(), tensors));
        Graph bound = Compiler.bindWeights(graph, weights, diagnostics);
        CompileResult result = Compiler.compile(CompileRequest.builder(file).packageName("p")
                .sourceOutput(sub.resolve("out")).vector(vector).build());
        return new Drawn(result, bound, graph.inputs().get(0).shape().size());
    }

    /** The largest {@code |err| / (atol + rtol |ref|)}: above 1 fails. */
    static double worst(double[] want, float[] got) {
        double w = 0;
        for (int i = 0; i < want.length; i++) {
            w = Math.max(w, Math.abs(got[i] - want[i]) / (Tolerance.ATOL + Tolerance.RTOL * Math.abs(want[i])));
        }
        return w;
    }
}
