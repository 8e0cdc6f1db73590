package dev.striate.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Activation;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Flatten;
import dev.striate.ir.Graph;
import dev.striate.ir.Input;
import dev.striate.ir.Node;
import dev.striate.ir.Padding;
import dev.striate.ir.Shape;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightSet;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BindWeightsTest {
    static final SourcePos WEIGHTS = new SourcePos("m.weights.json", 1, 1);

    static SourcePos at(int line) {
        return new SourcePos("m.cnn", line, 5);
    }

    /**
     * {@code model Tiny { input x: [1, 8, 8]; conv2d(4, kernel=3, activation=relu); batchnorm;
     * flatten; dense(10, activation=softmax) }}, shaped by hand.
     */
    static List<Node> tinyNodes() {
        Conv2d conv = new Conv2d(4, 3, 3, 1, 1, Padding.Explicit.of(0), 1, 1, 1, true, new Activation.Relu());
        return new ArrayList<>(List.of(
                new Node("x", new Input(Shape.chw(1, 8, 8)), List.of(), Shape.chw(1, 8, 8), at(2)),
                new Node("conv2d_1", conv, List.of("x"), Shape.chw(4, 6, 6), at(3)),
                new Node("batchnorm_1", new BatchNorm(1e-5f, 0.1f), List.of("conv2d_1"), Shape.chw(4, 6, 6), at(4)),
                new Node("flatten_1", new Flatten(), List.of("batchnorm_1"), Shape.of(144), at(5)),
                new Node("dense_1", new Dense(10, true, new Activation.Softmax()), List.of("flatten_1"), Shape.of(10),
                        at(6))));
    }

    static Graph tiny() {
        return graph(tinyNodes());
    }

    static Graph graph(List<Node> nodes) {
        return new Graph("Tiny", nodes, List.of(nodes.get(nodes.size() - 1).name()), List.of(), Map.of());
    }

    /** Valid weights for {@link #tiny()} with some tensors replaced or removed (null value). */
    static WeightSet weights(String model, Map<String, Tensor> changes) {
        Map<String, Tensor> m = new LinkedHashMap<>(InitWeights.run(tiny(), 1).tensors());
        changes.forEach((k, v) -> {
            if (v == null) {
                m.remove(k);
            } else {
                m.put(k, v);
            }
        });
        return new WeightSet(model, m);
    }

    static Tensor zeros(String name, int... shape) {
        return new Tensor(name, shape, new float[Shape.of(shape).size()]);
    }

    private static List<String> bind(WeightSet w) {
        Diagnostics d = new Diagnostics();
        BindWeights.run(tiny(), w, WEIGHTS, d);
        return d.sorted().stream().map(Diagnostic::format).toList();
    }

    @Test
    void bindsEveryParameterByLayerAndName() {
        WeightSet w = InitWeights.run(tiny(), 1);
        Diagnostics d = new Diagnostics();
        Graph g = BindWeights.run(tiny(), w, WEIGHTS, d);
        assertEquals(List.of(), d.sorted());
        assertEquals(List.of("conv2d_1.weight", "conv2d_1.bias", "batchnorm_1.weight", "batchnorm_1.bias",
                "batchnorm_1.running_mean", "batchnorm_1.running_var", "dense_1.weight", "dense_1.bias"),
                List.copyOf(g.weights().keySet()));
        assertSame(w.tensors().get("dense_1.weight"), g.weight(g.node("dense_1"), "weight"));
        assertEquals(tiny().nodes(), g.nodes());
    }

    @Test
    void wrongShapeIsReportedAtTheLayer() {
        assertEquals(List.of("m.cnn:3:5: error: conv2d_1.weight: expected [4, 1, 3, 3], found [4, 3, 3, 3] [E403]"),
                bind(weights("Tiny", Map.of("conv2d_1.weight", zeros("conv2d_1.weight", 4, 3, 3, 3)))));
    }

    @Test
    void missingTensorNamesTensorAndLayer() {
        Map<String, Tensor> drop = new LinkedHashMap<>();
        drop.put("dense_1.bias", null);
        assertEquals(List.of("m.cnn:6:5: error: missing tensor dense_1.bias: layer dense_1 needs a bias of shape [10] [E401]"),
                bind(weights("Tiny", drop)));
    }

    @Test
    void extraTensorSuggestsTheClosestMissingName() {
        Map<String, Tensor> rename = new LinkedHashMap<>();
        rename.put("conv2d_1.weight", null);
        rename.put("conv1.weight", zeros("conv1.weight", 4, 1, 3, 3));
        rename.put("classifier.scale", zeros("classifier.scale", 10));
        assertEquals(List.of(
                "m.cnn:3:5: error: missing tensor conv2d_1.weight: layer conv2d_1 needs a weight of shape [4, 1, 3, 3] [E401]",
                "m.weights.json:1:1: error: unexpected tensor conv1.weight: model Tiny has no such parameter "
                        + "(did you mean conv2d_1.weight?) [E402]",
                "m.weights.json:1:1: error: unexpected tensor classifier.scale: model Tiny has no such parameter [E402]"),
                bind(weights("Tiny", rename)));
    }

    @Test
    void reportsEveryMismatchAtOnce() {
        Map<String, Tensor> changes = new LinkedHashMap<>();
        changes.put("dense_1.weight", zeros("dense_1.weight", 10, 145));
        changes.put("batchnorm_1.running_var", null);
        changes.put("conv2d_1.bias", zeros("conv2d_1.bias", 4, 1));
        changes.put("dense_2.weight", zeros("dense_2.weight", 2, 10));
        Diagnostics d = new Diagnostics();
        BindWeights.run(tiny(), weights("Tiny", changes), WEIGHTS, d);
        CompileException e = assertThrows(CompileException.class, d::throwIfErrors);
        assertEquals("m.cnn:3:5: error: conv2d_1.bias: expected [4], found [4, 1] [E403]\n"
                + "m.cnn:4:5: error: missing tensor batchnorm_1.running_var: layer batchnorm_1 needs a running_var "
                + "of shape [4] [E401]\n"
                + "m.cnn:6:5: error: dense_1.weight: expected [10, 144], found [10, 145] [E403]\n"
                + "m.weights.json:1:1: error: unexpected tensor dense_2.weight: model Tiny has no such parameter [E402]",
                e.getMessage());
    }

    @Test
    void otherModelNameIsOnlyAWarning() {
        Diagnostics d = new Diagnostics();
        Graph g = BindWeights.run(tiny(), weights("SeedCnn", Map.of()), WEIGHTS, d);
        assertFalse(d.hasErrors());
        assertEquals(List.of("m.weights.json:1:1: warning: the weights were written for model SeedCnn, not Tiny [E406]"),
                d.sorted().stream().map(Diagnostic::format).toList());
        assertEquals(8, g.weights().size());
    }

    @Test
    void nonFiniteValuesAreErrors() {
        float[] v = new float[10];
        v[7] = Float.NaN;
        assertEquals(List.of("m.cnn:6:5: error: dense_1.bias: element 7 (index [7]) is NaN; weights must be finite [E405]"),
                bind(weights("Tiny", Map.of("dense_1.bias", new Tensor("dense_1.bias", new int[] {10}, v)))));
    }

    @Test
    void needsAShapedGraph() {
        List<Node> nodes = tinyNodes();
        nodes.set(1, nodes.get(1).withShape(Shape.UNKNOWN));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BindWeights.run(graph(nodes), weights("Tiny", Map.of()), WEIGHTS, new Diagnostics()));
        assertEquals("node batchnorm_1 has inputs of unknown shape: run InferShapes first", e.getMessage());
    }

    @Test
    void bindsWhatWasWrittenAndReadBack(@TempDir Path dir) throws IOException {
        Path m = dir.resolve("tiny.weights.json");
        WeightsFile.write(m, InitWeights.run(tiny(), 5));
        Diagnostics d = new Diagnostics();
        Graph g = BindWeights.run(tiny(), WeightsFile.read(m), WEIGHTS, d);
        assertTrue(d.sorted().isEmpty());
        assertEquals(InitWeights.run(tiny(), 5).tensors().get("dense_1.weight").data()[77],
                g.weight(g.node("dense_1"), "weight").data()[77]);
    }
}
