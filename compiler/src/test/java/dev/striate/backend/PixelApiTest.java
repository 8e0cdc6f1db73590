package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.data.ImageShape;
import dev.striate.data.Normalization;
import dev.striate.ir.Graph;
import dev.striate.ir.Normalize;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import dev.striate.testing.TestModels;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A class whose weights record the train block's normalization gets the pixel path
 * ({@code predictPixels}, {@code classifyPixels}, {@code normalizePixels}), which normalizes
 * exactly as training did (the runtime's {@link Normalization}); {@code predict(float[])} still
 * takes the model's input, unchanged; a class without a recorded normalization has no pixel path.
 */
class PixelApiTest {
    static GraphBuilder builder;
    static CompiledModel plain;
    static CompiledModel pixels;
    static final double[] MEAN = {33.3};
    static final double[] STD = {78.6};

    @BeforeAll
    static void compile() {
        builder = TestModels.mnistCnn(7);
        Graph graph = builder.build();
        plain = CompiledModel.compile(JavaBackend.generate(graph, new GenerateOptions("", "Plain", false)));
        Normalization n = Normalization.of(MEAN, STD);
        Graph normalized = graph.withPixelNormalization(new Normalize(List.of(n.mean()[0]), List.of(n.std()[0])));
        pixels = CompiledModel.compile(JavaBackend.generate(normalized, new GenerateOptions("", "Pixels", false)));
    }

    private static float[] randomPixels(long seed) {
        Random r = new Random(seed);
        float[] p = new float[784];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextInt(256);
        }
        return p;
    }

    @Test
    void predictPixelsNormalizesAsTrainingDid() {
        CompiledModel.Instance m = pixels.load();
        Object target = m.target();
        for (long seed = 1; seed <= 3; seed++) {
            float[] raw = randomPixels(seed);
            float[] normalized = raw.clone();
            Normalization.of(MEAN, STD).apply(normalized, 0, new ImageShape(1, 28, 28));
            float[] viaClass = (float[]) pixels.invoke(null, "normalizePixels", new Class<?>[] {float[].class}, raw);
            assertArrayEquals(normalized, viaClass, "bit for bit the runtime's normalization");
            float[] out = (float[]) pixels.invoke(target, "predictPixels", new Class<?>[] {float[].class}, raw);
            assertArrayEquals(m.predict(normalized), out);
            assertEquals(m.classify(normalized),
                    (int) pixels.invoke(target, "classifyPixels", new Class<?>[] {float[].class}, raw));
            assertFalse(Arrays.equals(m.predict(raw), out), "pixels and normalized input differ");
        }
    }

    @Test
    void predictStillTakesTheModelsInput() {
        float[] x = builder.randomInput(784);
        assertArrayEquals(plain.load().predict(x), pixels.load().predict(x));
    }

    @Test
    void wrongLengthIsRefusedWithItsName() {
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> pixels.invoke(null, "normalizePixels", new Class<?>[] {float[].class}, new float[3]));
        assertEquals("pixels must have 784 floats, got 3", e.getMessage());
    }

    @Test
    void withoutARecordedNormalizationThereIsNoPixelPath() {
        assertTrue(Arrays.stream(plain.type().getMethods()).noneMatch(x -> x.getName().contains("Pixels")));
        assertTrue(Arrays.stream(pixels.type().getMethods()).anyMatch(x -> x.getName().equals("predictPixels")));
    }
}
