package dev.striate.backend.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.striate.ir.Graph;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Which trainer layers run as the runtime's Winograd F(2x2,3x3): the {@code winograd_train} gradient
 * fixture's 64 -> 64 layer does, in its forward pass, weight gradient and input gradient (so the PyTorch
 * fixture replayed by {@link GradFixtureReplayTest} checks that path), the Keras MNIST CNN's layers
 * (32 -> 64, and 64 -> 64 on a 5x5 map: 4 tiles) do not, and {@code -Dstriate.winograd=false} turns it off.
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
        assertFalse(source("mnist_cnn").contains("Winograd."), "the MNIST CNN's layers are below the thresholds");
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
}
