package dev.striate.backend.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.backend.GenerateOptions;
import dev.striate.backend.GeneratedFile;
import dev.striate.backend.JavaBackend;
import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.Concat;
import dev.striate.ir.Dense;
import dev.striate.ir.Flatten;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Graph;
import dev.striate.ir.Maxout;
import dev.striate.ir.Normalize;
import dev.striate.ir.Pad;
import dev.striate.ir.Padding;
import dev.striate.ir.PixelShuffle;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Rescale;
import dev.striate.ir.Shape;
import dev.striate.passes.Pass;
import dev.striate.passes.PassPipeline;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import dev.striate.train.TrainableModel;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trainer's forward pass of the ops it takes from the inference class (see {@link ClassLayers}:
 * rescale, normalize, pad, standalone activations, maxout, add, concat, pixel shuffle, pools (a max
 * pool in its training form, which also records the argmax), dense layers (their batched form, the per-image
 * code's sums over the batch: {@code DenseEmitter.emitBatch}) is the class's
 * code: over a batch, training and inference forward give exactly, bit for bit, what the generated
 * class's {@code predict} gives for each sample. (The class's softmax divides by the sum, where the
 * trainer's own forward multiplied by its inverse: with its own forward the outputs differed.)
 */
class ClassForwardTest {
    private static Graph model() {
        GraphBuilder b = new GraphBuilder("OneForward", 5);
        String x = b.input(Shape.chw(4, 3, 3));
        String r = b.add("r", new Rescale(1f / 3, 0.1f), x);
        String nz = b.add("nz", new Normalize(List.of(0.1f, -0.2f, 0.3f, 0f), List.of(0.5f, 2f, 1f, 0.7f)), r);
        String p = b.add("p", new Pad(new Padding.Explicit(1, 0, 2, 1)), nz);
        String t = b.add("t", new Activate(Activation.TANH), p);
        String e = b.add("e", new Activate(new Activation.Elu(-0.5f)), p);
        String m = b.add("m", new Maxout(2), e);
        String q = b.add("q", new Add(), p, t, e);
        String c = b.add("c", new Concat(), m, q, m);
        String s = b.add("s", new Activate(Activation.SOFTMAX), c);
        return b.build(b.add("ps", new PixelShuffle(2), s));
    }

    private static Graph dense() {
        GraphBuilder b = new GraphBuilder("Dense", 8);
        String x = b.input(Shape.chw(2, 3, 5));
        String f = b.add("f", new Flatten(), x);
        // 40 units: whole vectors and a tail in the trainer's vector kernel (30 inputs: two past the last four)
        String d0 = b.add("d0", new Dense(40, true, Activation.RELU), f);
        String d1 = b.add("d1", new Dense(7, true, Activation.RELU), d0);
        String d2 = b.add("d2", new Dense(6, false, new Activation.LeakyRelu(-0.3f)), d1);
        String d3 = b.add("d3", new Dense(1, true, Activation.TANH), d2);
        String d4 = b.add("d4", new Dense(5, true, Activation.SOFTMAX), d3);
        return b.build(d4);
    }

    private static Graph pools() {
        GraphBuilder b = new GraphBuilder("Pools", 3);
        String x = b.input(Shape.chw(2, 8, 8));
        String mp1 = b.add("mp1", new Pool2d(Pool2d.Kind.MAX, 2, 2, 1, 1, Padding.VALID, true), x);
        String mp2 = b.add("mp2", new Pool2d(Pool2d.Kind.MAX, 3, 3, 2, 2, new Padding.Explicit(1, 1, 1, 1), true), mp1);
        String ap1 = b.add("ap1", new Pool2d(Pool2d.Kind.AVG, 3, 3, 2, 2, new Padding.Explicit(1, 1, 1, 1), false), x);
        String ap2 = b.add("ap2", new Pool2d(Pool2d.Kind.AVG, 2, 2, 2, 2, Padding.VALID, true), x);
        String c = b.add("c", new Concat(), mp2, ap1, ap2);
        String gm = b.add("gm", new GlobalPool(Pool2d.Kind.MAX), c);
        String ga = b.add("ga", new GlobalPool(Pool2d.Kind.AVG), c);
        return b.build(b.add("y", new Concat(), gm, ga));
    }

    /**
     * The trainer of the graph as written against the class of the graph as written, and the
     * trainer as training builds it (after the training passes: here FoldConstants makes the
     * rescale and the normalize one normalize, whose combined constants round differently) against
     * the class {@code compile} writes (the inference passes change nothing else in these models).
     */
    @Test
    void trainingAndInferenceForwardAreTheClassCodeBitForBit() throws Exception {
        for (Graph graph : List.of(model(), dense(), pools())) {
            check(graph, new TrainerOptions(false, false).unoptimized(), graph);
            check(graph, new TrainerOptions(false, false), PassPipeline.optimize(graph, Pass.Mode.INFERENCE, null));
        }
    }

    private static void check(Graph graph, TrainerOptions options, Graph shipped) throws Exception {
        List<GeneratedFile> files = JavaBackend.generate(shipped, new GenerateOptions("gen", graph.name(), true));
        Class<?> type = InProcessCompiler.compile(files, "gen." + graph.name());
        Object instance = type.getMethod("load").invoke(null);
        Method predict = type.getMethod("predict", float[].class);

        TrainableModel trainer = TrainerBackend.load(graph, options);
        int n = 3;
        int in = trainer.inputSize();
        int out = trainer.outputSize();
        float[] inputs = new GraphBuilder("x", 9).randomInput(n * in);
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] *= 4;
        }
        float[] trained = new float[n * out];
        float[] inferred = new float[n * out];
        TrainableModel.Worker worker = trainer.newWorker(n);
        worker.forward(inputs, n, trained, 1L);
        worker.infer(inputs, n, inferred);
        for (int s = 0; s < n; s++) {
            float[] expected = (float[]) predict.invoke(instance, (Object) Arrays.copyOfRange(inputs, s * in, (s + 1) * in));
            assertArrayEquals(expected, Arrays.copyOfRange(trained, s * out, (s + 1) * out), "training forward, sample " + s);
            assertArrayEquals(expected, Arrays.copyOfRange(inferred, s * out, (s + 1) * out), "inference, sample " + s);
        }
    }

    /**
     * A dense layer of 2,304 x 4,096 weights, more than the trainer's blob re-layout takes (2^23 parameters): its
     * batched form reads the parameters themselves, so it trains (before, the trainer refused it with an internal
     * error), and its outputs are still the class's bits.
     */
    @Test
    void aDenseLayerTooBigForTheBlobIsTheClassCodeBitForBit() throws Exception {
        GraphBuilder b = new GraphBuilder("BigDense", 4);
        String x = b.input(Shape.chw(256, 3, 3));
        String f = b.add("f", new Flatten(), x);
        String d = b.add("d", new Dense(4096, true, Activation.RELU), f);
        Graph graph = b.build(b.add("o", new Dense(3, true, Activation.SOFTMAX), d));
        // the weights as a resource blob (single-file mode embeds at most 16 MB)
        CompiledModel.Instance shipped = CompiledModel.compile(
                JavaBackend.generate(graph, new GenerateOptions("gen", "BigDense", false))).load();
        TrainableModel trainer = TrainerBackend.load(graph, new TrainerOptions(false, false).unoptimized());
        int n = 2;
        int in = trainer.inputSize();
        float[] inputs = b.randomInput(n * in);
        float[] trained = new float[n * 3];
        trainer.newWorker(n).forward(inputs, n, trained, 1L);
        for (int s = 0; s < n; s++) {
            assertArrayEquals(shipped.predict(Arrays.copyOfRange(inputs, s * in, (s + 1) * in)),
                    Arrays.copyOfRange(trained, s * 3, (s + 1) * 3), "sample " + s);
        }
    }

    @Test
    void theTrainerHoldsTheClassLayerMethods() {
        String source = new String(TrainerBackend.generate(model(), "gen", "T",
                new TrainerOptions(false, false).unoptimized()).get(0).content(), StandardCharsets.UTF_8);
        for (String layer : List.of("r", "nz", "p", "t", "e", "m", "q", "c", "s", "ps")) {
            assertTrue(source.contains("private static void class_" + layer + "("), layer);
            assertTrue(source.contains("private void forward_" + layer + "(int n)"), layer);
        }
        assertTrue(source.contains("private static void softmax_class_s(float[] x)"), source);
    }
}
