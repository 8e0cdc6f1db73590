package dev.striate.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The second plugin execution (single-file mode, explicit package) gives a class that carries
 * its own weights and computes what the blob-backed one does.
 */
class SingleFileSobelTest {
    @Test
    void carriesItsWeightsInTheSource() {
        Path sources = Path.of(System.getProperty("striate.generatedSources"));
        Path resources = Path.of(System.getProperty("striate.generatedResources"));
        assertTrue(Files.isRegularFile(sources.resolve("dev/striate/examples/single/Sobel.java")));
        assertFalse(Files.exists(resources.resolve("dev/striate/examples/single")));
        assertEquals(null, dev.striate.examples.single.Sobel.class.getResource("Sobel.weights"));
    }

    @Test
    void findsTheSameEdges() {
        assertArrayEquals(SobelTest.STEP_RESPONSE,
                dev.striate.examples.single.Sobel.load().predict(SobelTest.stepImage()), 0f);
    }
}
