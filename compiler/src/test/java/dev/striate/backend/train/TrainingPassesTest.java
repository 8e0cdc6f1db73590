package dev.striate.backend.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.ChannelAffineOp;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvPool;
import dev.striate.ir.Dense;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Normalize;
import dev.striate.ir.Op;
import dev.striate.ir.Pad;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Rescale;
import dev.striate.ir.Shape;
import dev.striate.passes.Pass;
import dev.striate.passes.PassLog;
import dev.striate.passes.PassPipeline;
import dev.striate.testing.GraphBuilder;
import dev.striate.train.TrainableModel;
import dev.striate.weights.Tensor;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Which passes a trainer is generated after ({@link TrainerBackend#trainingGraph}): on a model that
 * every pass of the standard pipeline rewrites at inference, the passes that compute the same
 * function with the same trained parameters must have run, and the ones that change what is
 * trained (folding batch norm or normalization into weights, dropping dropout, conv+pool fusion)
 * must not have; and the trainer after the passes must give the same bits as the trainer of the
 * graph as written (whose standalone rules the PyTorch fixtures check, GradFixtureReplayTest).
 * The one pass that may change bits is FoldConstants: a folded rescale and normalize round their
 * combined constants once (here the rescale is by 2, exact, so the bits agree; with
 * {@code rescale(1/255)} they differ in the last place, and the trainer then computes what the
 * compiled class computes, ClassForwardTest).
 */
class TrainingPassesTest {

    /**
     * input -> rescale -> normalize -> conv A -> batchnorm -> relu -> linear -> dropout(0.5) -> dropout(0)
     * -> pad -> conv B -> relu -> maxpool -> batchnorm -> flatten -> dense -> leaky_relu(-0.2)
     * -> dense -> sigmoid, and a dead dense branch.
     */
    static Graph model() {
        GraphBuilder b = new GraphBuilder("Passes", 11);
        String x = b.input(Shape.chw(2, 10, 10));
        x = b.add("scale", new Rescale(2f, 0f), x);
        x = b.add("norm", new Normalize(List.of(0.5f, -0.25f), List.of(2f, 4f)), x);
        x = b.add("convA", new Conv2d(4, 3, 3, 1, 1, Padding.VALID, 1, 1, 1, true, Activation.IDENTITY), x);
        x = b.add("bnA", new BatchNorm(1e-5f, 0.1f), x);
        x = b.add("reluA", new Activate(Activation.RELU), x);
        x = b.add("linear", new Activate(Activation.IDENTITY), x);
        x = b.add("drop", new Dropout(0.5f), x);
        x = b.add("keep", new Dropout(0f), x);
        x = b.add("pad", new Pad(new Padding.Explicit(1, 1, 1, 1)), x);
        x = b.add("convB", new Conv2d(4, 3, 3, 1, 1, Padding.VALID, 1, 1, 1, true, Activation.IDENTITY), x);
        x = b.add("reluB", new Activate(Activation.RELU), x);
        x = b.add("pool", new Pool2d(Pool2d.Kind.MAX, 2, 2, 2, 2, Padding.VALID, true), x);
        x = b.add("bnB", new BatchNorm(1e-5f, 0.1f), x);
        x = b.add("flat", new Flatten(), x);
        b.add("unused", new Dense(2, true, Activation.IDENTITY), x);
        x = b.add("fc1", new Dense(6, true, Activation.IDENTITY), x);
        x = b.add("leaky", new Activate(new Activation.LeakyRelu(-0.2f)), x);
        x = b.add("fc2", new Dense(3, true, Activation.IDENTITY), x);
        return b.build(b.add("out", new Activate(Activation.SIGMOID), x));
    }

    @Test
    void theModelExercisesEveryPassAtInference() {
        PassLog log = new PassLog();
        PassPipeline.standard().run(model(), Pass.Mode.INFERENCE, log);
        Set<String> idle = log.entries().stream().filter(e -> e.after() == null || e.changes().isEmpty())
                .map(PassLog.Entry::pass).collect(Collectors.toSet());
        assertEquals(Set.of(), idle, "passes that leave the test model unchanged, so nothing here checks their mode");
        assertEquals(PassPipeline.standard().steps().size(), log.entries().size());
    }

    @Test
    void theTrainingPassesRunAndTheOnesThatChangeWhatIsTrainedDoNot() {
        Graph t = TrainerBackend.trainingGraph(model());
        // changes what is trained, or has no gradient rule: must not run
        assertEquals(List.of("bnA", "bnB"), namesOf(t, BatchNorm.class), "FoldBatchNorm / LowerBatchNorm ran");
        assertEquals(List.of("drop"), namesOf(t, Dropout.class), "EliminateDropout ran or EliminateIdentity did not");
        assertFalse(t.has("linear"), "EliminateIdentity did not run");
        assertEquals(List.of(), namesOf(t, ConvPool.class), "FusePool ran");
        assertEquals(List.of("pool"), namesOf(t, Pool2d.class), "FusePool ran");
        // computes the same function with the same parameters: must run
        assertEquals(List.of("norm"), namesOf(t, ChannelAffineOp.class),
                "FoldConstants did not combine rescale and normalize, or FoldNormalization ran");
        assertEquals(List.of(), namesOf(t, Pad.class), "MergePad did not run");
        assertEquals(new Padding.Explicit(1, 1, 1, 1), ((Conv2d) t.node("convB").op()).padding(), "MergePad");
        assertEquals(List.of("reluA"), namesOf(t, Activate.class), "FuseActivation did not run (reluA follows a batch norm)");
        assertEquals(Activation.RELU, ((Conv2d) t.node("convB").op()).activation());
        assertEquals(new Activation.LeakyRelu(-0.2f), ((Dense) t.node("fc1").op()).activation());
        assertEquals(Activation.SIGMOID, ((Dense) t.node("fc2").op()).activation());
        assertFalse(t.has("unused"), "EliminateDeadNodes did not run");
    }

    @Test
    void theTrainingPassesKeepEveryTrainedParameterAsItIs() {
        Graph g = model();
        TrainableModel optimized = TrainerBackend.load(g, new TrainerOptions(false, true));
        TrainableModel asWritten = TrainerBackend.load(g, new TrainerOptions(false, true).unoptimized());
        assertTensorsEqual(asWritten.parameters(), optimized.parameters());
        assertTensorsEqual(asWritten.buffers(), optimized.buffers());
        assertTrue(optimized.parameters().stream().anyMatch(p -> p.name().equals("bnA.weight")));
        assertTrue(optimized.parameters().stream().anyMatch(p -> p.name().equals("convA.weight")));
    }

    @Test
    void theTrainerAfterThePassesGivesTheSameBitsAsTheGraphAsWritten() throws Exception {
        Graph g = model();
        TrainableModel optimized = TrainerBackend.load(g, new TrainerOptions(false, true));
        TrainableModel asWritten = TrainerBackend.load(g, new TrainerOptions(false, true).unoptimized());
        assertFalse(Arrays.equals(TrainerBackend.generate(g, "gen", "T", new TrainerOptions(false, true)).get(0).content(),
                TrainerBackend.generate(g, "gen", "T", new TrainerOptions(false, true).unoptimized()).get(0).content()),
                "the passes should change the trainer");
        int n = 5;
        Random r = new Random(3);
        float[] x = new float[n * optimized.inputSize()];
        float[] dy = new float[n * optimized.outputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < dy.length; i++) {
            dy[i] = (float) r.nextGaussian();
        }
        for (long seed : new long[] {1L, 42L}) {
            Step a = Step.run(optimized, x, dy, n, seed);
            Step b = Step.run(asWritten, x, dy, n, seed);
            assertArrayEquals(b.out, a.out, "training-mode outputs, seed " + seed);
            assertArrayEquals(b.inputGradient, a.inputGradient, "input gradient, seed " + seed);
            assertEquals(b.gradients.length, a.gradients.length);
            for (int i = 0; i < a.gradients.length; i++) {
                assertArrayEquals(b.gradients[i], a.gradients[i], optimized.parameters().get(i).name() + " gradient");
            }
            assertArrayEquals(b.inferred, a.inferred, "inference-mode outputs, seed " + seed);
        }
        assertTensorsEqual(asWritten.buffers(), optimized.buffers());
    }

    private record Step(float[] out, float[] inputGradient, float[][] gradients, float[] inferred) {
        static Step run(TrainableModel m, float[] x, float[] dy, int n, long seed) throws Exception {
            TrainableModel.Worker w = m.newWorker(n);
            float[] out = new float[dy.length];
            w.forward(x, n, out, seed);
            w.backward(dy, n);
            Method inputGradient = w.getClass().getMethod("inputGradient");
            inputGradient.setAccessible(true);
            float[] dx = ((float[]) inputGradient.invoke(w)).clone();
            float[][] grads = w.gradients();
            float[][] copies = new float[grads.length][];
            for (int i = 0; i < grads.length; i++) {
                copies[i] = grads[i].clone();
            }
            float[] inferred = new float[dy.length];
            w.infer(x, n, inferred);
            return new Step(out, dx, copies, inferred);
        }
    }

    private static List<String> namesOf(Graph g, Class<? extends Op> kind) {
        return g.nodes().stream().filter(n -> kind.isInstance(n.op())).map(Node::name).toList();
    }

    private static void assertTensorsEqual(List<Tensor> expected, List<Tensor> actual) {
        assertEquals(expected.stream().map(Tensor::name).toList(), actual.stream().map(Tensor::name).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).shape(), actual.get(i).shape(), expected.get(i).name());
            assertArrayEquals(expected.get(i).data(), actual.get(i).data(), expected.get(i).name());
        }
    }
}
