package dev.striate.backend.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.striate.data.FloatImageDataset;
import dev.striate.data.ImageShape;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.Frontend;
import dev.striate.ir.Graph;
import dev.striate.optim.Sgd;
import dev.striate.passes.BindWeights;
import dev.striate.passes.InitWeights;
import dev.striate.passes.Verifier;
import dev.striate.train.ReluBackward;
import dev.striate.train.TrainableModel;
import dev.striate.train.Trainer;
import dev.striate.train.TrainingConfig;
import dev.striate.train.loss.SoftmaxCrossEntropy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link dev.striate.autodiff.ReluPoolFusion}: the Keras MNIST CNN's two relu convs read by max pools have their
 * ReLU mask applied in the pools' backward ({@code dy[i]} where {@code y[i] > 0f}, else {@code +0f}) and no masking
 * pass of their own (their 2x2 pools write the convs' whole gradients, {@code Kernels.maxPool2x2Backward}, which
 * the worker then does not clear) and no ReLU in their forward (the pools apply it to their outputs); its third conv (read by flatten) and its first dense layer keep
 * {@code reluBiasGrad}; pictures' ReLU rules never fuse; and a seeded training run gives the same bits with the
 * fusion as with {@code -Dstriate.fuseReluPool=false}, on that model (its gradients against PyTorch:
 * {@code GradFixtureReplayTest}'s {@code mnist_cnn}) and on one with a 3x3 pool and a 2x2 pool over an odd map.
 */
class ReluPoolFusionTest {

    /**
     * A second model for the pools' two forms: a 3x3 pool with stride 2 and padding (the general masked scatter)
     * and a 2x2 pool over an odd 5x5 map (the pairs kernel, whose last row and column are in no window).
     */
    private static final String ODD = """
            model Odd {
                input image: [1, 15, 15]
                conv2d(6, kernel=3, activation=relu)
                maxpool(3, stride=2, padding=1)
                conv2d(8, kernel=3, activation=relu)
                maxpool(2)
                flatten
                dense(10, activation=softmax)
            }
            """;

    private static Graph odd() {
        Graph shaped = Verifier.verifyShaped(Frontend.parse(ODD, "odd.cnn").model(null));
        return BindWeights.run(shaped, InitWeights.run(shaped, 7), SourcePos.NONE, new Diagnostics());
    }

    private static String source(ReluBackward relu) {
        return source(GradFixtureReplayTest.bound("mnist_cnn"), relu);
    }

    private static String source(Graph graph, ReluBackward relu) {
        return new String(TrainerBackend.generate(graph, "t", "T", new TrainerOptions(true, false, relu)).get(0)
                .content(), StandardCharsets.UTF_8);
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    private static <T> T without(Supplier<T> run) {
        String before = System.getProperty("striate.fuseReluPool");
        System.setProperty("striate.fuseReluPool", "false");
        try {
            return run.get();
        } finally {
            if (before == null) {
                System.clearProperty("striate.fuseReluPool");
            } else {
                System.setProperty("striate.fuseReluPool", before);
            }
        }
    }

    @Test
    void thePoolsMaskTheirConvsReluAndTheConvsDoNot() {
        String src = source(ReluBackward.GRADIENT);
        // 2x2 pools with stride 2: the pairs kernel writes the conv's whole gradient, which is not cleared first
        assertEquals(2, count(src, "Kernels.maxPool2x2Backward("), "maxpool_1 and maxpool_2");
        assertEquals(0, count(src, "Arrays.fill(grad_conv2d_1,") + count(src, "Arrays.fill(grad_conv2d_2,"));
        assertEquals(1, count(src, "Arrays.fill(grad_conv2d_3,"), "read by flatten");
        // the two convs' ReLU goes to their pools' outputs (a quarter of the values); conv2d_3 keeps its own
        assertEquals(1, count(src, "Kernels.relu(act_maxpool_1, 0, n * 5408)"));
        assertEquals(1, count(src, "Kernels.relu(act_maxpool_2, 0, n * 1600)"));
        assertEquals(2, count(src, "Without its ReLU"));
        assertEquals(2, count(src, "Kernels.reluBiasGrad("), "conv2d_3 (read by flatten) and dense_1");
        String off = without(() -> source(ReluBackward.GRADIENT));
        assertEquals(0, count(off, "y[i] > 0f"));
        assertEquals(0, count(off, "maxPool2x2Backward("));
        assertEquals(1, count(off, "Arrays.fill(grad_conv2d_1,"));
        assertEquals(0, count(off, "Kernels.relu(act_maxpool"));
        String odd = source(odd(), ReluBackward.GRADIENT);
        assertEquals(1, count(odd, "& (y[i] > 0f ? -1 : 0))"), "the 3x3 pool");
        assertEquals(1, count(odd, "Kernels.maxPool2x2Backward("), "the 2x2 pool");
        assertEquals(4, count(off, "Kernels.reluBiasGrad("), "three convs and dense_1");
        for (ReluBackward pictures : new ReluBackward[] {ReluBackward.DECONVNET, ReluBackward.GUIDED}) {
            assertFalse(source(pictures).contains("y[i] > 0f"), pictures.name());
        }
    }

    /** Two epochs of the fixture's model through the runtime's {@code Trainer}: its parameters afterwards. */
    private static float[][] trained() {
        return trained(GradFixtureReplayTest.bound("mnist_cnn"), 28);
    }

    /** Two epochs of {@code graph} (one channel of {@code side x side} pixels in, ten classes out). */
    private static float[][] trained(Graph graph, int side) {
        try {
            TrainableModel model = TrainerBackend.load(graph);
            Random r = new Random(3);
            int images = 20;
            ImageShape shape = new ImageShape(1, side, side);
            float[] pixels = new float[images * shape.size()];
            int[] labels = new int[images];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = r.nextFloat() * 255f;
            }
            for (int i = 0; i < images; i++) {
                labels[i] = i % 10;
            }
            TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(10).seed(5).threads(1).slices(1)
                    .validationFraction(0).optimizer(() -> Sgd.builder(0.01).momentum(0.9).build()).progress(null)
                    .build();
            new Trainer(model, new SoftmaxCrossEntropy(), config).train(new FloatImageDataset(shape, pixels, labels,
                    List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")));
            return model.parameters().stream().map(t -> t.data().clone()).toArray(float[][]::new);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSeededRunGivesTheBitsOfTheUnfusedTrainer() {
        float[][] fused = trained();
        float[][] unfused = without(ReluPoolFusionTest::trained);
        float[][] start = TrainerBackend.load(GradFixtureReplayTest.bound("mnist_cnn")).parameters().stream()
                .map(t -> t.data().clone()).toArray(float[][]::new);
        assertEquals(start.length, fused.length);
        for (int p = 0; p < fused.length; p++) {
            assertFalse(java.util.Arrays.equals(start[p], fused[p]), "parameter " + p + " trained");
            assertArrayEquals(unfused[p], fused[p], "parameter " + p);
        }
        float[][] oddFused = trained(odd(), 15);
        float[][] oddUnfused = without(() -> trained(odd(), 15));
        for (int p = 0; p < oddFused.length; p++) {
            assertArrayEquals(oddUnfused[p], oddFused[p], "odd model, parameter " + p);
        }
    }
}
