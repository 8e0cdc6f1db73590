package dev.striate.backend.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.striate.data.FloatImageDataset;
import dev.striate.data.ImageShape;
import dev.striate.ir.Graph;
import dev.striate.optim.Sgd;
import dev.striate.train.ReluBackward;
import dev.striate.train.Trainer;
import dev.striate.train.TrainableModel;
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
 * pass of their own; its third conv (read by flatten) and its first dense layer keep {@code reluBiasGrad}; pictures'
 * ReLU rules never fuse; and a seeded training run gives the same bits with the fusion as with
 * {@code -Dstriate.fuseReluPool=false} (its gradients against PyTorch: {@code GradFixtureReplayTest}'s
 * {@code mnist_cnn}).
 */
class ReluPoolFusionTest {

    private static String source(ReluBackward relu) {
        Graph graph = GradFixtureReplayTest.bound("mnist_cnn");
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
        assertEquals(2, count(src, "& (y[i] > 0f ? -1 : 0))"), "maxpool_1 and maxpool_2");
        assertEquals(2, count(src, "Kernels.reluBiasGrad("), "conv2d_3 (read by flatten) and dense_1");
        String off = without(() -> source(ReluBackward.GRADIENT));
        assertEquals(0, count(off, "y[i] > 0f"));
        assertEquals(4, count(off, "Kernels.reluBiasGrad("), "three convs and dense_1");
        for (ReluBackward pictures : new ReluBackward[] {ReluBackward.DECONVNET, ReluBackward.GUIDED}) {
            assertFalse(source(pictures).contains("y[i] > 0f"), pictures.name());
        }
    }

    /** Two epochs of the fixture's model through the runtime's {@code Trainer}: its parameters afterwards. */
    private static float[][] trained() {
        try {
            TrainableModel model = TrainerBackend.load(GradFixtureReplayTest.bound("mnist_cnn"));
            Random r = new Random(3);
            int images = 20;
            ImageShape shape = new ImageShape(1, 28, 28);
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
    }
}
