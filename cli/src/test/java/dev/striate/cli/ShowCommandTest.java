package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.viz.ColorScale;
import dev.striate.viz.ImageGrid;
import dev.striate.viz.Pictures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code striate show}: the pictures are read back pixel by pixel at the tiles' places (the
 * layout from {@link Pictures} with the same shapes; the expected colours from the problem, not
 * from the drawing code): the Sobel kernels' signs, a vertical edge's feature map, the saliency
 * of a model reading one pixel, the top activations of a vertical-bar detector; byte-identical
 * output; and the user errors E701-E708 and E715 with nothing written.
 */
class ShowCommandTest {
    /** The Sobel example's kernels (Gx, then Gy), as its weights file states them. */
    private static final float[] SOBEL = {-1, 0, 1, -2, 0, 2, -1, 0, 1, -1, -2, -1, 0, 0, 0, 1, 2, 1};

    @TempDir
    static Path dir;
    static Path stripe;

    @BeforeAll
    static void setUp() throws IOException {
        // 24x24 black with a white vertical stripe on columns 8..15: vertical edges between columns 7|8 and 15|16
        BufferedImage img = new BufferedImage(24, 24, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 24; y++) {
            for (int x = 8; x < 16; x++) {
                img.getRaster().setSample(x, y, 0, 255);
            }
        }
        stripe = dir.resolve("stripe.png");
        ImageIO.write(img, "png", stripe.toFile());
    }

    @Test
    void theSobelFiltersShowTheKernelsExactSignPattern() throws IOException {
        Path out = dir.resolve("filters.png");
        BufferedImage img = Pixels.picture("show", "filters", Cli.example("sobel/sobel.cnn"), "-o", out.toString());
        List<ImageGrid.Placement> tiles = Pictures.filters("sobel", new float[18], 2, 1, 3, 3, -1).render().row(0);
        ColorScale scale = new ColorScale(2f);
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < 9; i++) {
                float w = SOBEL[k * 9 + i];
                int got = Pixels.rgb(img, tiles.get(k), i / 3, i % 3);
                assertEquals(scale.rgb(w), got, "filter " + k + " value " + i);
                int red = got >> 16;
                int blue = got & 0xFF;
                assertTrue(w > 0 ? red > blue : w < 0 ? blue > red : got == 0, "sign of filter " + k + " value " + i);
            }
        }
    }

    @Test
    void aVerticalEdgesFeatureMapIsBrightExactlyOnTheEdgeColumns() throws IOException {
        Path out = dir.resolve("maps.png");
        BufferedImage img = Pixels.picture("show", "maps", Cli.example("sobel/sobel.cnn"), stripe.toString(), "-o", out.toString());
        ImageGrid.Placement gx = Pictures.maps(new float[576], new int[] {1, 24, 24}, 0f, 255f,
                List.of(new Pictures.Layer("sobel", new int[] {2, 24, 24}, new float[1152]))).render().row(1).get(0);
        for (int r = 0; r < 24; r++) {
            for (int c = 0; c < 24; c++) {
                int v = Pixels.rgb(img, gx, r, c);
                boolean edge = c == 7 || c == 8 || c == 15 || c == 16;
                assertEquals(edge, v != 0, "Gx at row " + r + " column " + c + ": " + Integer.toHexString(v));
                if (edge) {
                    // dark-to-bright edges (7, 8) are positive, bright-to-dark (15, 16) negative; rows 1..22 at full scale
                    assertEquals(c < 12, (v >> 16) > (v & 0xFF), "sign at column " + c);
                    if (r > 0 && r < 23) {
                        assertEquals(c < 12 ? ColorScale.POSITIVE : ColorScale.NEGATIVE, v);
                    }
                }
            }
        }
        byte[] first = Files.readAllBytes(out);
        Pixels.picture("show", "maps", Cli.example("sobel/sobel.cnn"), stripe.toString(), "-o", out.toString());
        assertArrayEquals(first, Files.readAllBytes(out), "the same inputs give the same bytes");
    }

    @Test
    void theSaliencyOfAModelReadingOnePixelIsNonZeroOnlyThere() throws IOException {
        Path model = dir.resolve("onepixel.cnn");
        Files.writeString(model, "model OnePixel {\n input image: [1, 4, 4]\n rescale(1/255)\n flatten\n"
                + " dense(2, bias=false, activation=softmax)\n}\n");
        StringBuilder w = new StringBuilder();
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < 16; i++) {
                w.append(o + i > 0 ? ", " : "").append(i == 6 ? (o == 0 ? "3" : "-1") : "0");
            }
        }
        Files.writeString(dir.resolve("onepixel.weights.json"), "{\"format\": \"striate-weights\", \"version\": 1, "
                + "\"model\": \"OnePixel\", \"tensors\": [{\"name\": \"dense_1.weight\", \"shape\": [2, 16], "
                + "\"dtype\": \"float32\", \"values\": [" + w + "]}]}");
        BufferedImage in = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 16; i++) {
            in.getRaster().setSample(i % 4, i / 4, 0, 16 * i);
        }
        Path image = dir.resolve("four.png");
        ImageIO.write(in, "png", image.toFile());
        Path out = dir.resolve("saliency.png");
        BufferedImage img = Pixels.picture("show", "saliency", model.toString(), image.toString(), "-o", out.toString());
        ImageGrid.Placement g = Pictures.saliency(new float[16], new int[] {1, 4, 4}, 0f, 255f, new float[16], "x")
                .render().row(1).get(0);
        for (int i = 0; i < 16; i++) {
            // class 0 wins (3 * pixel 6 > -pixel 6); d logit 0 / d pixel = 3/255 at pixel 6 only, the largest magnitude
            assertEquals(i == 6 ? ColorScale.POSITIVE : 0, Pixels.rgb(img, g, i / 4, i % 4), "pixel " + i);
        }
        Path other = dir.resolve("saliency1.png");
        BufferedImage img1 = Pixels.picture("show", "saliency", model.toString(), image.toString(), "--class", "1", "-o",
                other.toString());
        assertEquals(ColorScale.NEGATIVE, Pixels.rgb(img1, g, 1, 2), "class 1 reads pixel 6 with weight -1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gradient", "deconvnet", "guided"})
    void theTopActivationsOfAVerticalBarDetectorAreVerticalBars(String rule) throws IOException {
        Path data = dir.resolve("bars-" + rule);
        SyntheticIdx.write(data, 20, 40);
        Path model = dir.resolve("vbar.cnn");
        Files.writeString(model, "model VBar {\n input image: [1, 8, 8]\n rescale(1/255)\n"
                + " conv2d(1, kernel=3, bias=false, activation=relu, name=\"bar\")\n flatten\n dense(2)\n}\n");
        Files.writeString(dir.resolve("vbar.weights.json"), "{\"format\": \"striate-weights\", \"version\": 1, "
                + "\"model\": \"VBar\", \"tensors\": ["
                + "{\"name\": \"bar.weight\", \"shape\": [1, 1, 3, 3], \"dtype\": \"float32\", "
                + "\"values\": [-1, 2, -1, -1, 2, -1, -1, 2, -1]},"
                + "{\"name\": \"dense_1.weight\", \"shape\": [2, 36], \"dtype\": \"float32\", \"values\": ["
                + "0, ".repeat(71) + "0]},"
                + "{\"name\": \"dense_1.bias\", \"shape\": [2], \"dtype\": \"float32\", \"values\": [0, 0]}]}");
        Path out = dir.resolve("top-" + rule + ".png");
        BufferedImage img = Pixels.picture("show", "activations", model.toString(), "--data", data.toString(), "--layer", "bar",
                "--top", "4", "--rule", rule, "-o", out.toString());
        List<Pictures.Hit> dummy = List.of(hit(), hit(), hit(), hit());
        List<ImageGrid.Placement> row = Pictures.activations("bar", new int[] {1, 6, 6}, 1, List.of(0), List.of(dummy),
                0f, 255f, rule).render().row(0);
        assertEquals(8, row.size());
        for (int k = 0; k < 4; k++) {
            for (int r = 0; r < 3; r++) {
                // the crop: a bright bar in the middle column of the 3x3 receptive field, noisy dark sides
                assertTrue(gray(Pixels.rgb(img, row.get(k), r, 1)) > 120, "crop " + k + " row " + r);
                assertTrue(gray(Pixels.rgb(img, row.get(k), r, 0)) < 120 && gray(Pixels.rgb(img, row.get(k), r, 2)) < 120);
                // the projection of one unit of a conv + relu that fired: the kernel itself, on every rule
                ImageGrid.Placement p = row.get(4 + k);
                assertEquals(ColorScale.POSITIVE, Pixels.rgb(img, p, r, 1), "projection " + k + " row " + r);
                assertEquals(0x144B80, Pixels.rgb(img, p, r, 0), "half the negative colour");
            }
        }
    }

    private static Pictures.Hit hit() {
        return new Pictures.Hit(1f, 0, 0, 0, 3, 3, new float[9], new float[9]);
    }

    private static int gray(int rgb) {
        return rgb & 0xFF;
    }

    @Test
    void userErrorsHaveTheirCodesAndWriteNothing() throws IOException {
        String sobel = Cli.example("sobel/sobel.cnn");
        String seed = Cli.example("mnist/seed_cnn.cnn");
        Path out = dir.resolve("never.png");
        expect("E701", "show", "maps", sobel, stripe.toString(), "--layers", "nope", "-o", out.toString());
        expect("E701", "show", "maps", sobel, stripe.toString(), "--layers", "so\u0007bel", "-o", out.toString());
        expect("E702", "show", "filters", seed, "--layer", "maxpool_1", "-o", out.toString());
        expect("E703", "show", "activations", seed, "--data", "mnist", "--layer", "dense_1", "-o", out.toString());
        expect("E704", "show", "maps", sobel, dir.resolve("missing.png").toString(), "-o", out.toString());
        Path notImage = Files.writeString(dir.resolve("text.png"), "not a png");
        expect("E704", "show", "saliency", seed, notImage.toString(), "-o", out.toString());
        expect("E705", "show", "filters", sobel, "-o", dir.resolve("filters.jpg").toString());
        expect("E705", "show", "filters", sobel, "-o", Files.createDirectories(dir.resolve("folder.png")).toString());
        // one check for every picture output: a missing folder is refused before the model is read
        expect("E705", "show", "filters", sobel, "-o", dir.resolve("no/such/filters.png").toString());
        expect("E705", "show", "history", dir.resolve("no.csv").toString(), "-o", dir.resolve("curves.gif").toString());
        expect("E707", "show", "filters", sobel, "--filter", "2", "-o", out.toString());
        expect("E707", "show", "activations", sobel, "--data", "mnist", "--layer", "sobel", "--top", "0", "-o",
                out.toString());
        expect("E707", "show", "activations", sobel, "--data", "mnist", "--layer", "sobel", "--maps", "2", "-o",
                out.toString());
        Path idx8 = dir.resolve("idx8");
        SyntheticIdx.write(idx8, 4, 4);
        expect("E715", "show", "activations", sobel, "--data", idx8.toString(), "--layer", "sobel", "-o", out.toString());
        Path dropout = dir.resolve("dropout.cnn");
        Files.writeString(dropout, "model Sobel {\n input image: [1, 24, 24]\n conv2d(2, kernel=3, padding=1, bias=false, "
                + "name=\"sobel\")\n dropout(0.5)\n}\n");
        Files.copy(Path.of(Cli.example("sobel/sobel.weights.json")), dir.resolve("dropout.weights.json"));
        expect("E701", "show", "maps", dropout.toString(), stripe.toString(), "--layers", "dropout_1", "-o", out.toString());
        assertFalse(Files.exists(out));
        Cli.Run limits = Cli.run("show", "filters", sobel, "--max-params", "0", "-o", out.toString());
        assertEquals(1, limits.exitCode(), limits.toString());
        assertTrue(limits.err().contains("--max-params must be at least 1"), limits.toString());
    }

    private static void expect(String code, String... args) {
        Cli.Run run = Cli.run(args);
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("[" + code + "]"), code + " expected:\n" + run);
        assertFalse(run.err().contains("Exception"), run.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"filters", "maps", "saliency", "activations", "reconstructions"})
    void everyPictureHasHelpWithExamplesThatFitsEightyColumns(String picture) {
        Cli.Run run = Cli.run("show", picture, "--help");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("Usage: striate show " + picture), run.out());
        assertTrue(run.out().contains("Examples:\n  striate show " + picture), run.out());
        run.out().lines().forEach(l -> assertTrue(l.length() <= 80, l));
        Cli.Run parent = Cli.run("show", "--help");
        parent.out().lines().forEach(l -> assertTrue(l.length() <= 80, l));
        assertTrue(parent.out().contains("\n  " + picture + " "), parent.out());
        assertEquals(1, Cli.run("show").exitCode());
    }
}
