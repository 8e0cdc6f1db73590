package dev.striate.backend.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.backend.GenerateOptions;
import dev.striate.backend.GeneratedFile;
import dev.striate.backend.JavaBackend;
import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Graph;
import dev.striate.ir.Padding;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import dev.striate.train.TrainableModel;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One forward for convolutions: the trainer's forward pass of a conv2d is the class emitter's
 * batched form ({@code backend.layers.ConvBatch}: the op's unfold, bias, output layout and
 * activation; its product on the runtime's {@code Gemm}), not code of the gradient rule. Its
 * products sum in another order than the class's per-image product, so the outputs agree with
 * {@code predict} within float rounding (not bit for bit, as {@link ClassForwardTest}'s ops do).
 */
class ConvBatchForwardTest {
    /**
     * Convs covering the batched form's branches: one sample per product (11x11 maps), several
     * (5x11: 4 side by side, 3x9: 7; a batch of 9 leaves a shorter last pack in both), groups in both,
     * stride, dilation, padding on every side, no bias, an activation whose pre-activation the
     * backward needs (leaky relu with a negative slope), tanh and a channel softmax.
     */
    private static Graph model() {
        GraphBuilder b = new GraphBuilder("ConvBatch", 3);
        String x = b.input(Shape.chw(4, 11, 11));
        String a = b.add("a", new Conv2d(6, 3, 3, 1, 1, new Padding.Same(), 1, 1, 2, true, Activation.RELU), x);
        String c = b.add("c", new Conv2d(4, 3, 2, 2, 1, new Padding.Explicit(2, 1, 0, 1), 2, 1, 2, false,
                new Activation.LeakyRelu(-0.3f)), a);
        String d = b.add("d", new Conv2d(5, 3, 3, 1, 1, Padding.Explicit.of(0), 1, 1, 1, true, Activation.TANH), c);
        return b.build(b.add("e", new Conv2d(3, 1, 1, 1, 1, Padding.Explicit.of(0), 1, 1, 1, true, Activation.SOFTMAX), d));
    }

    @Test
    void theTrainersConvForwardIsTheClassesBatchedForm() {
        String source = new String(TrainerBackend.generate(model(), "gen", "T",
                new TrainerOptions(false, false).unoptimized()).get(0).content(), StandardCharsets.UTF_8);
        for (String layer : List.of("a", "c", "d", "e")) {
            assertTrue(source.contains("private static void class_" + layer + "(float[] w, "), layer);
            assertTrue(source.contains("The inference class's batched code (class_" + layer + ")"), layer);
        }
        // the kept pre-activation of c, then the class's leaky relu on each sample
        assertTrue(source.contains("private static void class_c_activation("), source);
        assertTrue(source.contains("private static void softmax_class_e(float[] x)"), source);
        assertFalse(source.contains("Kernels.relu("), "the activation is the class's code");
    }

    @Test
    void trainingForwardAgreesWithTheClassForEverySample() throws Exception {
        Graph graph = model();
        List<GeneratedFile> files = JavaBackend.generate(graph, new GenerateOptions("gen", graph.name(), true));
        Class<?> type = InProcessCompiler.compile(files, "gen." + graph.name());
        Object instance = type.getMethod("load").invoke(null);
        Method predict = type.getMethod("predict", float[].class);
        TrainableModel trainer = TrainerBackend.load(graph, new TrainerOptions(false, false).unoptimized());
        int n = 9;
        int in = trainer.inputSize();
        int out = trainer.outputSize();
        float[] inputs = new GraphBuilder("x", 9).randomInput(n * in);
        float[] trained = new float[n * out];
        trainer.newWorker(n).forward(inputs, n, trained, 1L);
        for (int s = 0; s < n; s++) {
            float[] expected = (float[]) predict.invoke(instance, (Object) Arrays.copyOfRange(inputs, s * in, (s + 1) * in));
            for (int i = 0; i < out; i++) {
                float e = expected[i];
                assertEquals(e, trained[s * out + i], 1e-6f + 1e-4f * Math.abs(e), "sample " + s + ", output " + i);
            }
        }
    }
}
