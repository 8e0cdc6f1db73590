package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.striate.data.ColorMode;
import dev.striate.data.ImageFile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code striate predict} on PNG and JPEG files of several sizes and color types (gray, RGB,
 * CMYK JPEG): the printed outputs are the shipped class's on the same pixels, read by the pinned
 * image path; text and JSON output, --top, and user errors (exit 1, other images still reported).
 */
class PredictCommandTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path weights;
    static Path shots;
    static Class<?> shipped;

    @BeforeAll
    static void setUp() throws Exception {
        Path images = dir.resolve("images");
        BarImages.write(images);
        model = dir.resolve("bars.cnn");
        Files.writeString(model, BarImages.model(false, "[\"horizontal\", \"vertical\"]",
                "standardize(0.2, 0.3, scale=255)"));
        weights = dir.resolve("bars.weights.json");
        Cli.Run run = Cli.run("train", model.toString(), "--data", images.toString(), "--progress", "summary",
                "--threads", "1");
        assertEquals(0, run.exitCode(), run.toString());
        Cli.Run compile = Cli.run("compile", model.toString(), "--out", dir.resolve("gen").toString(), "--single-file");
        assertEquals(0, compile.exitCode(), compile.toString());
        shipped = BarImages.load(dir.resolve("gen"), "Bars", dir.resolve("classes"));

        shots = Files.createDirectories(dir.resolve("shots"));
        // an 8x8 gray PNG, a 40x24 RGB PNG and a 24x24 RGB JPEG of vertical bars; a 16x16 CMYK JPEG
        ImageIO.write(BarImages.bar(true, 2, new Random(3)), "png", shots.resolve("a_gray.png").toFile());
        ImageIO.write(rgbBar(40, 24, true), "png", shots.resolve("b_rgb_wide.png").toFile());
        ImageIO.write(rgbBar(24, 24, false), "jpg", shots.resolve("c_rgb.jpg").toFile());
        Files.write(shots.resolve("d_cmyk.jpg"), cmykVerticalBar());
    }

    /** A white-background-free RGB image: dark blue noise with a bright yellow bar. */
    private static BufferedImage rgbBar(int w, int h, boolean vertical) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(w * 31 + h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean on = vertical ? x * 8 / w == 5 : y * 8 / h == 4;
                img.setRGB(x, y, on ? 0xF0F0A0 : (r.nextInt(30) << 16) | (r.nextInt(30) << 8) | (40 + r.nextInt(20)));
            }
        }
        return img;
    }

    /**
     * An Adobe CMYK JPEG (APP14 transform 0, inverted ink as Photoshop writes it): black
     * background (full K), a white vertical band (no ink) two pixels wide at columns 6-7.
     */
    static byte[] cmykVerticalBar() throws IOException {
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                boolean bar = x == 6 || x == 7;
                r.setSample(x, y, 0, 255);
                r.setSample(x, y, 1, 255);
                r.setSample(x, y, 2, 255);
                r.setSample(x, y, 3, bar ? 255 : 40);
            }
        }
        ImageWriter writer = null;
        for (var it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext();) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.")) {
                writer = w; // writes a raster's four channels as they are
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream o = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(o);
            writer.write(null, new IIOImage(r, null, null), null);
        }
        byte[] jpeg = bytes.toByteArray();
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] out = new byte[jpeg.length + adobe.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(adobe, 0, out, 2, adobe.length);
        System.arraycopy(jpeg, 2, out, 2 + adobe.length, jpeg.length - 2);
        return out;
    }

    private static float[] shippedOutputs(Path image) throws Exception {
        Object m = shipped.getMethod("load").invoke(null);
        float[] pixels = ImageFile.read(image, ColorMode.GRAY, 8, 8);
        return (float[]) shipped.getMethod("predictPixels", float[].class).invoke(m, (Object) pixels);
    }

    @Test
    void jsonOutputIsTheShippedClassesOnEveryImage() throws Exception {
        Cli.Run run = Cli.run("predict", model.toString(), shots.toString(), "--json");
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode all = new ObjectMapper().readTree(run.out());
        assertEquals(4, all.size(), run.out());
        List<String> names = List.of("a_gray.png", "b_rgb_wide.png", "c_rgb.jpg", "d_cmyk.jpg");
        List<String> expected = List.of("vertical", "vertical", "horizontal", "vertical");
        for (int i = 0; i < 4; i++) {
            JsonNode r = all.get(i);
            Path file = shots.resolve(names.get(i));
            assertEquals(file.toString(), r.get("file").asText());
            float[] outputs = shippedOutputs(file);
            JsonNode top = r.get("top");
            assertEquals(2, top.size());
            float[] printed = new float[2];
            for (JsonNode t : top) {
                printed[t.get("index").asInt()] = t.get("probability").floatValue();
            }
            assertArrayEquals(outputs, printed, names.get(i) + ": the class's outputs, to the bit");
            assertEquals(expected.get(i), top.get(0).get("label").asText(), names.get(i) + ": " + r);
        }
    }

    @Test
    void textOutputListsTheTopClassesWithProbabilities() throws Exception {
        Path gray = shots.resolve("a_gray.png");
        Cli.Run run = Cli.run("predict", model.toString(), gray.toString(), "--top", "1");
        assertEquals(0, run.exitCode(), run.toString());
        float p = shippedOutputs(gray)[1];
        assertEquals(gray + ": vertical\n  vertical  " + String.format(java.util.Locale.ROOT, "%.4f", p) + "\n",
                run.out());
        Cli.Run five = Cli.run("predict", model.toString(), gray.toString());
        assertEquals(3, five.out().lines().count(), "--top 5 is cut to the 2 classes: " + five.out());
    }

    @Test
    void cmykJpegIsDecodedByTwelveMonkeys() throws IOException {
        assertTrue(ImageIO.getImageReadersByFormatName("jpeg").next().getClass().getName()
                .startsWith("com.twelvemonkeys."), "TwelveMonkeys' JPEG reader is registered first");
        float[] pixels = ImageFile.read(shots.resolve("d_cmyk.jpg"), ColorMode.GRAY, 16, 16);
        assertTrue(pixels[6] > 240 && pixels[0] < 60, "white band on a dark background: " + pixels[6] + ", " + pixels[0]);
    }

    @Test
    void compileWritesTheImageCompanionOnRequestOnly() throws IOException {
        Path out = dir.resolve("companion");
        Cli.Run run = Cli.run("compile", model.toString(), "--out", out.toString(), "--image-companion", "-p", "com.acme");
        assertEquals(0, run.exitCode(), run.toString());
        String companion = Files.readString(out.resolve("com/acme/BarsImages.java"));
        assertTrue(companion.contains("public static float[] fromImage(BufferedImage image)"), companion);
        assertTrue(companion.contains("public static float[] fromPng(InputStream in) throws IOException"), companion);
        assertTrue(!Files.readString(out.resolve("com/acme/Bars.java")).contains("java.awt"), "the class stays java.base");
        Path plain = dir.resolve("plain");
        assertEquals(0, Cli.run("compile", model.toString(), "--out", plain.toString()).exitCode());
        assertTrue(!Files.exists(plain.resolve("BarsImages.java")));

        Path flat = Files.writeString(dir.resolve("flat.cnn"), "model Flat {\n    input x: [4]\n    dense(2)\n}\n");
        assertEquals(0, Cli.run("init", flat.toString()).exitCode());
        Cli.Run refused = Cli.run("compile", flat.toString(), "--out", dir.resolve("flatgen").toString(),
                "--image-companion");
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("the image companion needs an image input, [1, H, W] (gray) or [3, H, W]"
                + " (RGB); model Flat reads [4] [E504]"), refused.err());
    }

    @Test
    void unreadableImagesAreReportedAndTheOthersStillPredicted() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad\nname.png"), "not an image");
        Cli.Run run = Cli.run("predict", model.toString(), bad.toString(), shots.resolve("a_gray.png").toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals(1, run.err().lines().count(), "one line, the newline escaped: " + run.err());
        assertTrue(run.err().contains("bad\\u000aname.png: not a PNG or JPEG image") && run.err().contains("[E503]"),
                run.err());
        assertTrue(run.out().startsWith(shots.resolve("a_gray.png") + ": vertical"), run.out());

        Cli.Run missing = Cli.run("predict", model.toString(), dir.resolve("nothing.png").toString());
        assertEquals(1, missing.exitCode());
        assertEquals(dir.resolve("nothing.png") + ": error: no such file or folder [E503]\n", missing.err());
        Cli.Run zero = Cli.run("predict", model.toString(), shots.toString(), "--top", "0");
        assertEquals(1, zero.exitCode());
        assertTrue(zero.err().startsWith("error: --top must be at least 1, got 0"), zero.err());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Cli.Run none = Cli.run("predict", model.toString(), empty.toString());
        assertEquals(1, none.exitCode());
        assertTrue(none.err().contains("the folder has no .png, .jpg or .jpeg files"), none.err());
    }
}
