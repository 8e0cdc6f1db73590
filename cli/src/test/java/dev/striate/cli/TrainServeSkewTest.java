package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.data.ImageShape;
import dev.striate.data.Normalization;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The train block's {@code normalize} reaches the compiled class: {@code striate train} records it
 * in the weights, the class gets {@code predictPixels}/{@code classifyPixels} that apply it to raw
 * pixels exactly as training did, {@code predict(float[])} keeps taking normalized input, and
 * compiling weights that do not record it is refused (E511) at the setting.
 */
class TrainServeSkewTest {
    @TempDir
    static Path dir;
    static Path images;

    @BeforeAll
    static void setUp() throws IOException {
        images = dir.resolve("images");
        BarImages.write(images);
    }

    private static Path trained(String name, String normalize) throws IOException {
        Path model = BarImages.modelFile(dir, name, false, null, normalize);
        Path out = dir.resolve(name + "/w.weights.json");
        Cli.Run run = BarImages.train(model, images, out);
        assertEquals(0, run.exitCode(), run.toString());
        return model;
    }

    @Test
    void theClassNormalizesPixelsAsTrainingDid() throws Exception {
        Path model = trained("std", "standardize(0.25, 0.3, scale=255)");
        Path weights = dir.resolve("std/w.weights.json");
        Normalization recorded = WeightsFile.read(weights).normalization();
        assertArrayEquals(new float[] {(float) (0.25 * 255)}, recorded.mean());
        assertArrayEquals(new float[] {(float) (0.3 * 255)}, recorded.std());

        Path gen = dir.resolve("std/gen");
        Cli.Run compile = Cli.run("compile", model.toString(), "--weights", weights.toString(), "--out", gen.toString(),
                "--single-file");
        assertEquals(0, compile.exitCode(), compile.toString());
        Class<?> c = BarImages.load(gen, "Bars", dir.resolve("std/classes"));
        Object m = c.getMethod("load").invoke(null);
        int vertical = 0;
        for (int at = 0; at < 8; at++) {
            float[] raw = BarImages.pixels(BarImages.bar(true, at, new Random(at)));
            float[] normalized = raw.clone();
            recorded.apply(normalized, 0, new ImageShape(1, 8, 8));
            float[] viaPixels = (float[]) c.getMethod("predictPixels", float[].class).invoke(m, (Object) raw);
            float[] viaInput = (float[]) c.getMethod("predict", float[].class).invoke(m, (Object) normalized);
            assertArrayEquals(viaInput, viaPixels, "predictPixels(raw) == predict(normalized)");
            vertical += (int) c.getMethod("classifyPixels", float[].class).invoke(m, (Object) raw);
        }
        assertTrue(vertical >= 7, "vertical bars classified from raw pixels: " + vertical + "/8");
    }

    @Test
    void weightsThatDoNotRecordTheNormalizationAreRefused() throws IOException {
        Path model = trained("fit", "fit");
        Path weights = dir.resolve("fit/w.weights.json");
        Path old = dir.resolve("fit/old.weights.json");
        WeightsFile.write(old, WeightsFile.read(weights).withNormalization(null));
        Cli.Run compile = Cli.run("compile", model.toString(), "--weights", old.toString(), "--out",
                dir.resolve("fit/gen").toString());
        assertEquals(1, compile.exitCode(), compile.toString());
        int line = Arrays.asList(Files.readString(model).split("\n")).indexOf("    normalize = fit") + 1;
        assertTrue(compile.err().startsWith(model + ":" + line + ":17: error: the train block normalizes the data"
                + " outside the model, but old.weights.json does not record that normalization"), compile.err());
        assertTrue(compile.err().contains("[E511]"), compile.err());

        Cli.Run ok = Cli.run("compile", model.toString(), "--weights", weights.toString(), "--out",
                dir.resolve("fit/gen").toString());
        assertEquals(0, ok.exitCode(), ok.toString());
        assertTrue(Files.readString(dir.resolve("fit/gen/Bars.java")).contains("public float[] predictPixels("));
    }

    @Test
    void withoutNormalizationTheClassHasNoPixelPath() throws IOException {
        Path model = trained("none", "none");
        Cli.Run compile = Cli.run("compile", model.toString(), "--weights", dir.resolve("none/w.weights.json").toString(),
                "--out", dir.resolve("none/gen").toString());
        assertEquals(0, compile.exitCode(), compile.toString());
        assertTrue(!Files.readString(dir.resolve("none/gen/Bars.java")).contains("Pixels"));
    }
}
