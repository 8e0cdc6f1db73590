package dev.striate.backend.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.backend.GeneratedFile;
import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvTranspose2d;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.Dense;
import dev.striate.ir.Graph;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import dev.striate.testing.BytecodeSizes;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import dev.striate.testing.ReferenceInterpreter;
import dev.striate.testing.TestModels;
import dev.striate.train.TrainableModel;
import dev.striate.weights.Tensor;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The generated trainer's contract: canonical parameters, logits by default, bounded method
 * sizes, deterministic source, batch-size checks and the worker's saved input gradient.
 */
class TrainerBackendTest {

    private static Graph wide() {
        GraphBuilder b = new GraphBuilder("Wide", 3);
        String x = b.input(Shape.chw(8, 20, 20));
        x = b.add("c5", new Conv2d(16, 5, 5, 1, 1, new Padding.Same(), 1, 1, 1, true, Activation.SOFTMAX), x);
        x = b.add("c5s2", new Conv2d(16, 5, 5, 2, 2, new Padding.Same(), 2, 2, 4, true, Activation.RELU), x);
        x = b.add("t7", new ConvTranspose2d(8, 7, 7, 2, 2, 3, 3, 1, 1, 1, 1, 1, true, Activation.RELU), x);
        x = b.add("pool5", new Pool2d(Pool2d.Kind.MAX, 5, 5, 1, 1, Padding.VALID, true), x);
        x = b.add("drop", new Dropout(0.3f), x);
        x = b.add("flat", new Flatten(), x);
        return b.build(b.add("out", new Dense(10, true, Activation.SOFTMAX), x));
    }

    @Test
    void everyGeneratedMethodStaysUnderTheJitLimit() {
        for (Graph g : List.of(TestModels.mnistCnn(1).build(), TestModels.tinyResNet(1).build(),
                TestModels.big(1).build(), TestModels.leNet5(1).build(), wide())) {
            CompiledModel compiled = CompiledModel.compile(TrainerBackend.generate(g, "gen", "T" + g.name()));
            Map<String, Integer> sizes = BytecodeSizes.methodSizes(compiled.classFiles());
            assertTrue(sizes.size() > 10, sizes.toString());
            sizes.forEach((m, size) -> assertTrue(size < BytecodeSizes.HUGE_METHOD_LIMIT, m + " has " + size + " bytes"));
            assertEquals(List.of(), compiled.warnings(), g.name() + ": javac warnings");
        }
    }

    @Test
    void generationIsDeterministic() {
        List<GeneratedFile> a = TrainerBackend.generate(TestModels.tinyResNet(5).build(), "gen", "Res");
        List<GeneratedFile> b = TrainerBackend.generate(TestModels.tinyResNet(5).build(), "gen", "Res");
        assertEquals(1, a.size());
        assertEquals("gen/Res.java", a.get(0).relativePath());
        assertArrayEquals(a.get(0).content(), b.get(0).content());
    }

    @Test
    void parametersAreCanonicalAndBuffersSeparate() {
        Graph g = TestModels.tinyResNet(2).build();
        TrainableModel m = TrainerBackend.load(g);
        assertEquals(g.name(), m.name());
        assertEquals(3 * 32 * 32, m.inputSize());
        for (Tensor t : m.parameters()) {
            assertFalse(t.name().endsWith("running_mean") || t.name().endsWith("running_var"), t.name());
            assertArrayEquals(g.weights().get(t.name()).shape(), t.shape(), t.name());
            assertArrayEquals(g.weights().get(t.name()).data(), t.data(), t.name());
            assertTrue(g.weights().get(t.name()).data() != t.data(), "the trainer works on copies");
        }
        assertFalse(m.buffers().isEmpty());
        assertTrue(m.buffers().stream().allMatch(t -> t.name().endsWith("running_mean") || t.name().endsWith("running_var")));
        TrainableModel.Worker w = m.newWorker(2);
        assertEquals(m.parameters().size(), w.gradients().length);
        for (int i = 0; i < w.gradients().length; i++) {
            assertEquals(m.parameters().get(i).size(), w.gradients()[i].length);
        }
    }

    @Test
    void defaultTrainerOutputsLogitsInsteadOfAFinalSoftmax() {
        GraphBuilder b = TestModels.mnistCnn(4);
        Graph g = b.build();
        TrainableModel m = TrainerBackend.load(g);
        float[] x = b.randomInput(784);
        float[] logits = new float[10];
        m.newWorker(1).forward(x, 1, logits, 0);
        double[] probs = ReferenceInterpreter.run(g, x);
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(probs[i], Math.exp(logits[i] - max) / sum, 1e-5, "softmax of logit " + i);
        }
    }

    @Test
    void inferUsesRunningStatisticsAndNoDropoutAndChangesNothing() {
        GraphBuilder b = TestModels.tinyResNet(8);
        String x = b.add("drop", new Dropout(0.5f), b.output());
        Graph g = b.build(x);
        TrainableModel m = TrainerBackend.load(g, new TrainerOptions(false, false));
        TrainableModel.Worker w = m.newWorker(2);
        float[] in = b.randomInput(2 * m.inputSize());
        float[] out = new float[2 * m.outputSize()];
        float[][] before = m.buffers().stream().map(t -> t.data().clone()).toArray(float[][]::new);
        w.infer(in, 2, out);
        for (int s = 0; s < 2; s++) {
            float[] one = java.util.Arrays.copyOfRange(in, s * m.inputSize(), (s + 1) * m.inputSize());
            float[] got = java.util.Arrays.copyOfRange(out, s * m.outputSize(), (s + 1) * m.outputSize());
            dev.striate.testing.Tolerance.assertClose(ReferenceInterpreter.run(g, one), got, "infer sample " + s);
        }
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], m.buffers().get(i).data(), "infer leaves running statistics alone");
        }
    }

    @Test
    void onlyTheFirstWorkerUpdatesRunningStatistics() {
        GraphBuilder b = TestModels.tinyResNet(9);
        TrainableModel m = TrainerBackend.load(b.build());
        TrainableModel.Worker first = m.newWorker(2);
        TrainableModel.Worker second = m.newWorker(2);
        float[] in = b.randomInput(2 * m.inputSize());
        float[] out = new float[2 * m.outputSize()];
        float[][] before = m.buffers().stream().map(t -> t.data().clone()).toArray(float[][]::new);
        second.forward(in, 2, out, 0);
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], m.buffers().get(i).data(), "a later worker leaves the buffers alone");
        }
        first.forward(in, 2, out, 0);
        assertFalse(java.util.Arrays.equals(before[0], m.buffers().get(0).data()), "the first worker updates them");
    }

    @Test
    void aFinalSigmoidIsDroppedForLogitsAndKeptOtherwise() {
        GraphBuilder b = new GraphBuilder("Binary", 3);
        String x = b.add("fc", new Dense(1, true, Activation.SIGMOID), b.input(Shape.of(5)));
        Graph g = b.build(x);
        float[] in = b.randomInput(5);
        float[] logit = new float[1];
        TrainerBackend.load(g).newWorker(1).forward(in, 1, logit, 0);
        float[] prob = new float[1];
        TrainerBackend.load(g, new TrainerOptions(false, false)).newWorker(1).forward(in, 1, prob, 0);
        double expected = ReferenceInterpreter.run(g, in)[0];
        assertEquals(expected, prob[0], 1e-6);
        assertEquals(expected, 1 / (1 + Math.exp(-logit[0])), 1e-6);
    }

    @Test
    void layerNamesThatCollideWhenCombinedStillGiveDistinctFieldsAndMethods() {
        GraphBuilder b = new GraphBuilder("Names", 3);
        String in = b.input("in", Shape.chw(1, 6, 6));
        String x = b.add("x", new Conv2d(2, 3, 3, 1, 1, Padding.VALID, 1, 1, 1, true, Activation.RELU), in);
        String c = b.add("input_x", new Conv2d(2, 1, 1, 1, 1, Padding.VALID, 1, 1, 1, true, Activation.RELU), x);
        String f = b.add("seed", new Flatten(), c);
        String a = b.add("a", new Dense(4, true, Activation.TANH), f);
        String d = b.add("a_input", new Dense(3, true, Activation.IDENTITY), a);
        Graph g = b.build(d);
        CompiledModel compiled = CompiledModel.compile(TrainerBackend.generate(g, "gen", "Names",
                new TrainerOptions(false, true)));
        assertTrue(compiled.classFiles().size() >= 2);
        TrainableModel m = TrainerBackend.load(g);
        assertEquals(8, m.parameters().size());
        m.newWorker(2).forward(b.randomInput(72), 2, new float[6], 0);
    }

    @Test
    void batchSizesAreChecked() throws Exception {
        TrainableModel m = TrainerBackend.load(TestModels.mnistCnn(4).build());
        TrainableModel.Worker w = m.newWorker(2);
        float[] out = new float[30];
        assertThrows(IllegalArgumentException.class, () -> w.forward(new float[3 * 784], 3, out, 0));
        assertThrows(IllegalArgumentException.class, () -> m.newWorker(0));
        w.forward(new float[2 * 784], 2, out, 0);
        assertThrows(IllegalStateException.class, () -> w.backward(new float[10], 1));
        Method ig = w.getClass().getMethod("inputGradient");
        ig.setAccessible(true);
        assertNull(ig.invoke(w), "no input gradient unless asked for");
        TrainableModel.Worker wi = TrainerBackend.load(TestModels.mnistCnn(4).build(), new TrainerOptions(true, true))
                .newWorker(1);
        Method igi = wi.getClass().getMethod("inputGradient");
        igi.setAccessible(true);
        assertNotNull(igi.invoke(wi));
    }

    @Test
    void rejectsBadNamesAndUnshapedGraphs() {
        Graph g = TestModels.mnistCnn(1).build();
        assertThrows(IllegalArgumentException.class, () -> TrainerBackend.generate(g, "gen", "not a name"));
        assertThrows(IllegalArgumentException.class, () -> TrainerBackend.generate(g, "1gen", "Model"));
    }
}
