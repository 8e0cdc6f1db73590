package dev.striate.backend.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.striate.data.FloatImageDataset;
import dev.striate.data.ImageShape;
import dev.striate.ir.Graph;
import dev.striate.optim.Sgd;
import dev.striate.train.Trainer;
import dev.striate.train.TrainableModel;
import dev.striate.train.TrainingConfig;
import dev.striate.train.loss.SoftmaxCrossEntropy;
import dev.striate.train.Winograd;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Which trainer layers run as the runtime's Winograd F(2x2,3x3): the {@code winograd_train} gradient
 * fixture's 64 -> 64 layer does, in its forward pass, weight gradient and input gradient (so the PyTorch
 * fixture replayed by {@link GradFixtureReplayTest} checks that path), and so does the Keras MNIST CNN's
 * 32 -> 64 layer (the fewest channels taken, {@link Winograd#MIN_CHANNELS}: its fixture checks that edge), but not
 * its 64 -> 64 layer on a 5x5 map (4 tiles) nor layers of fewer channels, and {@code -Dstriate.winograd=false}
 * turns it off;
 * and a training run through such a layer gives the same bits on one thread as on two (same slices).
 */
class TrainWinogradTest {

    private static String source(String fixture) {
        Graph graph = GradFixtureReplayTest.bound(fixture);
        // with the input gradient, as the fixture replay asks for it
        return new String(TrainerBackend.generate(graph, "t", "T", new TrainerOptions(false, true)).get(0).content(),
                StandardCharsets.UTF_8);
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    @Test
    void theFixtureLayerRunsAllThreePassesAsWinograd() {
        String src = source("winograd_train");
        assertEquals(1, count(src, "Winograd.forward("), "forward");
        assertEquals(1, count(src, "Winograd.weightGradient("), "weight gradient");
        assertEquals(1, count(src, "Winograd.inputGradient("), "input gradient");
    }

    @Test
    void smallLayersAndTheSwitchKeepTheUnfoldedProduct() {
        String mnist = source("mnist_cnn");
        assertEquals(1, count(mnist, "Winograd.forward("), "only conv2d_2 (32 -> 64, 11x11): conv2d_3 has 4 tiles");
        assertEquals(1, count(mnist, "Winograd.weightGradient("), "MNIST weight gradient");
        assertEquals(1, count(mnist, "Winograd.inputGradient("), "MNIST input gradient");
        assertFalse(source("resnet_bn").contains("Winograd."), "6 channels: below the thresholds");
        String before = System.getProperty("striate.winograd");
        System.setProperty("striate.winograd", "false");
        try {
            assertFalse(source("winograd_train").contains("Winograd."), "-Dstriate.winograd=false");
        } finally {
            if (before == null) {
                System.clearProperty("striate.winograd");
            } else {
                System.setProperty("striate.winograd", before);
            }
        }
    }

    /** Two epochs of the fixture's model through the runtime's {@code Trainer}: its parameters afterwards. */
    private static float[][] trained(int threads) throws java.io.IOException {
        TrainableModel model = TrainerBackend.load(GradFixtureReplayTest.bound("winograd_train"));
        Random r = new Random(7);
        int images = 24;
        ImageShape shape = new ImageShape(64, 9, 9);
        float[] pixels = new float[images * shape.size()];
        int[] labels = new int[images];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = r.nextFloat();
        }
        for (int i = 0; i < images; i++) {
            labels[i] = i % 3;
        }
        TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(12).seed(5).threads(threads).slices(2)
                .validationFraction(0).optimizer(() -> Sgd.builder(0.05).momentum(0.9).build()).progress(null).build();
        new Trainer(model, new SoftmaxCrossEntropy(), config)
                .train(new FloatImageDataset(shape, pixels, labels, List.of("a", "b", "c")));
        return model.parameters().stream().map(t -> t.data().clone()).toArray(float[][]::new);
    }

    @Test
    void twoThreadsGiveTheBitsOfOneThroughAWinogradLayer() throws java.io.IOException {
        float[][] one = trained(1);
        float[][] two = trained(2);
        float[][] start = TrainerBackend.load(GradFixtureReplayTest.bound("winograd_train")).parameters().stream()
                .map(t -> t.data().clone()).toArray(float[][]::new);
        assertEquals(one.length, two.length);
        for (int p = 0; p < one.length; p++) {
            assertFalse(java.util.Arrays.equals(start[p], one[p]), "parameter " + p + " trained");
            org.junit.jupiter.api.Assertions.assertArrayEquals(one[p], two[p], "parameter " + p);
        }
    }
}
