package dev.striate.backend.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.striate.Compiler;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.train.TrainableModel;
import dev.striate.weights.Tensor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every PyTorch gradient fixture ({@code grad-fixtures/<case>/}, written by
 * {@code tools/reference/generate_grads.py}) through a generated trainer: training-mode outputs,
 * input gradient, parameter gradients and batch-norm running statistics after the step must match
 * PyTorch autograd within the fixture's tolerance ({@code |a - e| <= atol + rtol * |e|}).
 */
class GradFixtureReplayTest {

    static Path root() throws URISyntaxException {
        return Path.of(GradFixtureReplayTest.class.getResource("/grad-fixtures/cases.txt").toURI()).getParent();
    }

    static Stream<String> cases() throws IOException, URISyntaxException {
        return Files.readAllLines(root().resolve("cases.txt")).stream().map(String::strip)
                .filter(s -> !s.isEmpty() && !s.startsWith("#"));
    }

    @Test
    void everyFixtureIsListed() throws Exception {
        List<String> names = cases().toList();
        assertTrue(names.size() >= 50, "expected the full gradient fixture set, found " + names.size());
        assertTrue(names.containsAll(List.of("mnist_cnn", "resnet_bn", "batchnorm_conv", "depthwise_conv2d",
                "conv2d_dilation2", "conv2d_groups2", "conv_transpose2d")), names.toString());
    }

    /** The trainer as training builds it: the graph after the training passes. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trainerMatchesPyTorchAutograd(String name) throws Exception {
        replay(name, new TrainerOptions(false, true));
    }

    /**
     * The cases the training passes change (a fused activation, a merged pad...), replayed on the
     * graph as written too, so that every standalone op's own gradient rule stays checked.
     */
    static Stream<String> casesChangedByTrainingPasses() throws IOException, URISyntaxException {
        return cases().filter(name -> {
            Graph graph = bound(name);
            return TrainerBackend.trainingGraph(graph) != graph;
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("casesChangedByTrainingPasses")
    void unoptimizedTrainerMatchesPyTorchAutograd(String name) throws Exception {
        replay(name, new TrainerOptions(false, true).unoptimized());
    }

    @Test
    void trainingPassesChangeSomeFixtures() throws Exception {
        List<String> changed = casesChangedByTrainingPasses().toList();
        // pad_conv's pad merges into its conv, resnet_bn's final softmax fuses into its dense layer
        assertTrue(changed.containsAll(List.of("pad_conv", "resnet_bn")), changed.toString());
    }

    static Graph bound(String name) {
        try {
            Path dir = root().resolve(name);
            Diagnostics diagnostics = new Diagnostics();
            Graph graph = Compiler.loadModel(dir.resolve("model.cnn"), null, diagnostics);
            graph = Compiler.bindWeights(graph, dir.resolve("model.weights.json"), diagnostics);
            assertEquals(List.of(), diagnostics.sorted(), name + " should compile cleanly");
            return graph;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void replay(String name, TrainerOptions options) throws Exception {
        Path dir = root().resolve(name);
        JsonNode fx = new ObjectMapper().readTree(dir.resolve("grad.json").toFile());
        double atol = fx.get("atol").asDouble();
        double rtol = fx.get("rtol").asDouble();
        int n = fx.get("batch").asInt();
        Graph graph = bound(name);

        TrainableModel model = TrainerBackend.load(graph, options);
        TrainableModel.Worker worker = model.newWorker(n);
        float[] out = new float[n * model.outputSize()];
        worker.forward(rows(fx.get("inputs")), n, out, 1L);
        check(name + " outputs", rows(fx.get("outputs")), out, atol, rtol);
        worker.backward(rows(fx.get("output_grad")), n);
        Method inputGradient = worker.getClass().getMethod("inputGradient");
        inputGradient.setAccessible(true);
        float[] dx = (float[]) inputGradient.invoke(worker);
        float[] expectedDx = rows(fx.get("input_grad"));
        float[] dxUsed = new float[expectedDx.length];
        System.arraycopy(dx, 0, dxUsed, 0, dxUsed.length);
        check(name + " input_grad", expectedDx, dxUsed, atol, rtol);

        List<Tensor> params = model.parameters();
        float[][] grads = worker.gradients();
        List<String> keys = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = fx.get("param_grads").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            keys.add(e.getKey());
            int i = indexOf(params, e.getKey());
            check(name + " " + e.getKey() + " gradient", floats(e.getValue()), grads[i], atol, rtol);
        }
        assertEquals(keys, params.stream().map(Tensor::name).toList(), name + ": learned parameters");
        JsonNode after = fx.get("buffers_after");
        if (after != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Tensor t = model.buffers().get(indexOf(model.buffers(), e.getKey()));
                check(name + " " + e.getKey() + " after the step", floats(e.getValue()), t.data(), atol, rtol);
            }
        }
    }

    private static int indexOf(List<Tensor> tensors, String key) {
        for (int i = 0; i < tensors.size(); i++) {
            if (tensors.get(i).name().equals(key)) {
                return i;
            }
        }
        throw new AssertionError("the trainer has no tensor " + key);
    }

    private static void check(String what, float[] expected, float[] actual, double atol, double rtol) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= atol + rtol * Math.abs(expected[i]))) {
                fail(what + " element " + i + ": got " + actual[i] + ", PyTorch " + expected[i] + " (error " + err + ")");
            }
        }
    }

    private static float[] rows(JsonNode rows) {
        List<Float> all = new ArrayList<>();
        for (JsonNode row : rows) {
            for (JsonNode v : row) {
                all.add((float) v.asDouble());
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }
}
