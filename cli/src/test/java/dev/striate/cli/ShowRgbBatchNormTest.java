package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/**
 * Every {@code striate show} picture of an RGB model with a batch norm, weights set by hand:
 * conv {@code c1} (filter 0 reads red at its top-left tap with +1 and green at its bottom-right
 * with -0.6; filter 1 blue at its centre with -1, padding 1), then {@code bn} (channel 0:
 * {@code 2 (x - 0.5) / sqrt(1.001)}, channel 1: {@code 0.8 x / sqrt(1.001) + 0.6}), ReLU, and a
 * dense layer whose class 0 reads ReLU channel 0 at (2, 2) and channel 1 at (1, 6). The expected
 * pixels are worked out here from those numbers: which colour channel of a filter tile, which
 * input channel of the saliency and where the maps are bright.
 */
class ShowRgbBatchNormTest {
    private static final double S0 = 2 / Math.sqrt(1.001);
    private static final double S1 = 0.8 / Math.sqrt(1.001);

    @TempDir
    static Path dir;
    static Path model;
    static Path image;

    @BeforeAll
    static void setUp() throws IOException {
        model = Files.writeString(dir.resolve("rgb.cnn"), "model Rgb {\n input image: [3, 8, 8]\n rescale(1/255)\n"
                + " conv2d(2, kernel=3, padding=1, bias=false, name=\"c1\")\n batchnorm(epsilon=0.001, name=\"bn\")\n"
                + " relu\n flatten\n dense(2, name=\"fc\")\n}\n");
        float[] conv = new float[54];
        conv[0] = 1f;          // filter 0, red, tap (0, 0)
        conv[9 + 8] = -0.6f;   // filter 0, green, tap (2, 2)
        conv[27 + 18 + 4] = -1f; // filter 1, blue, tap (1, 1)
        float[] fc = new float[256];
        fc[2 * 8 + 2] = 1f;      // class 0 <- relu channel 0 at (2, 2)
        fc[64 + 8 + 6] = 1f;     // class 0 <- relu channel 1 at (1, 6)
        Files.writeString(dir.resolve("rgb.weights.json"), "{\"format\": \"striate-weights\", \"version\": 1, "
                + "\"model\": \"Rgb\", \"tensors\": [" + tensor("c1.weight", "[2, 3, 3, 3]", conv) + ", "
                + tensor("bn.weight", "[2]", new float[] {2f, 0.8f}) + ", "
                + tensor("bn.bias", "[2]", new float[] {0f, 0.6f}) + ", "
                + tensor("bn.running_mean", "[2]", new float[] {0.5f, 0f}) + ", "
                + tensor("bn.running_var", "[2]", new float[] {1f, 1f}) + ", "
                + tensor("fc.weight", "[2, 128]", fc) + ", " + tensor("fc.bias", "[2]", new float[2]) + "]}");
        // red top-left quadrant, blue bottom-right quadrant, black elsewhere
        image = dir.resolve("quadrants.png");
        ImageIO.write(picture(new int[][] {{0, 4, 0, 4, 0xFF0000}, {4, 8, 4, 8, 0x0000FF}}), "png", image.toFile());
    }

    private static String tensor(String name, String shape, float[] values) {
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            v.append(i > 0 ? ", " : "").append(values[i]);
        }
        return "{\"name\": \"" + name + "\", \"shape\": " + shape + ", \"dtype\": \"float32\", \"values\": [" + v + "]}";
    }

    /** An 8x8 RGB image, black but for rectangles {rowFrom, rowTo, colFrom, colTo, rgb}. */
    private static BufferedImage picture(int[][] rects) {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int[] r : rects) {
            for (int y = r[0]; y < r[1]; y++) {
                for (int x = r[2]; x < r[3]; x++) {
                    img.setRGB(x, y, r[4]);
                }
            }
        }
        return img;
    }

    private static int color(int r, int g, int b) {
        return r << 16 | g << 8 | b;
    }

    private static int scaled(double v, double limit) {
        return new ColorScale((float) limit).rgb((float) v);
    }

    @Test
    void theFiltersOfTheRgbLayerAreColourTilesWithEachWeightInItsChannel() throws IOException {
        BufferedImage img = Pixels.picture("show", "filters", model.toString(), "-o", dir.resolve("filters.png").toString());
        List<ImageGrid.Placement> tiles = Pictures.filters("c1", new float[54], 2, 3, 3, 3, -1).render().row(0);
        assertEquals(2, tiles.size());
        // each channel from -1 (0) through 0 (128, mid gray) to +1 (255): the layer's largest magnitude is 1
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                int f0 = r == 0 && c == 0 ? color(255, 128, 128) : r == 2 && c == 2 ? color(128, 51, 128)
                        : color(128, 128, 128);
                int f1 = r == 1 && c == 1 ? color(128, 128, 0) : color(128, 128, 128);
                assertEquals(f0, Pixels.rgb(img, tiles.get(0), r, c), "filter 0 tap " + r + ", " + c);
                assertEquals(f1, Pixels.rgb(img, tiles.get(1), r, c), "filter 1 tap " + r + ", " + c);
            }
        }
        // the legend is the ramp each channel follows: 0 at -1, mid gray at 0, 255 at +1
        int y = ImageGrid.MARGIN + ImageGrid.LINE + 2 + ImageGrid.LEGEND_HEIGHT / 2;
        assertEquals(0, img.getRGB(ImageGrid.MARGIN, y) & 0xFFFFFF, "legend at -1");
        assertEquals(color(128, 128, 128), img.getRGB(ImageGrid.MARGIN + ImageGrid.LEGEND_WIDTH / 2, y) & 0xFFFFFF);
        assertEquals(0xFFFFFF, img.getRGB(ImageGrid.MARGIN + ImageGrid.LEGEND_WIDTH - 1, y) & 0xFFFFFF, "legend at +1");
    }

    @Test
    void theMapsShowTheColourInputTheConvolutionAndTheBatchNormsShiftAndScale() throws IOException {
        BufferedImage img = Pixels.picture("show", "maps", model.toString(), image.toString(), "--layers", "c1,bn", "-o",
                dir.resolve("maps.png").toString());
        ImageGrid.Picture layout = Pictures.maps(new float[192], new int[] {3, 8, 8}, 0f, 255f,
                List.of(new Pictures.Layer("c1", new int[] {2, 8, 8}, new float[128]),
                        new Pictures.Layer("bn", new int[] {2, 8, 8}, new float[128]))).render();
        ImageGrid.Placement input = layout.row(0).get(0);
        double bnLimit = S0 * 0.5;
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                boolean red = y < 4 && x < 4;
                boolean blue = y >= 4 && x >= 4;
                assertEquals(red ? 0xFF0000 : blue ? 0x0000FF : 0, Pixels.rgb(img, input, y, x), "input " + y + ", " + x);
                // c1 channel 0 at (y, x) is the red of (y - 1, x - 1); channel 1 minus the blue of (y, x)
                boolean reads = y >= 1 && y <= 4 && x >= 1 && x <= 4;
                assertEquals(reads ? ColorScale.POSITIVE : 0, Pixels.rgb(img, layout.row(1).get(0), y, x), "c1/0 " + y + "," + x);
                assertEquals(blue ? ColorScale.NEGATIVE : 0, Pixels.rgb(img, layout.row(1).get(1), y, x), "c1/1 " + y + "," + x);
                // bn: channel 0 is +-1 around the mean 0.5; channel 1 is 0.6 - 0.8 under blue, 0.6 elsewhere
                assertEquals(scaled(S0 * ((reads ? 1 : 0) - 0.5), bnLimit), Pixels.rgb(img, layout.row(2).get(0), y, x),
                        "bn/0 " + y + "," + x);
                assertEquals(scaled(blue ? 0.6 - S1 : 0.6, bnLimit), Pixels.rgb(img, layout.row(2).get(1), y, x),
                        "bn/1 " + y + "," + x);
            }
        }
    }

    @Test
    void theSaliencyThroughTheBatchNormIsTheHandWorkedGradientInEachColourChannel() throws IOException {
        BufferedImage img = Pixels.picture("show", "saliency", model.toString(), image.toString(), "-o",
                dir.resolve("saliency.png").toString());
        List<ImageGrid.Placement> tiles = Pictures.saliency(new float[192], new int[] {3, 8, 8}, 0f, 255f,
                new float[192], "x").render().row(1);
        assertEquals(3, tiles.size(), "a tile per colour channel");
        // class 0 = relu(bn0(2, 2)) + relu(bn1(1, 6)), both units active on this image:
        // d/d red(1, 1) = S0 / 255, d/d green(3, 3) = -0.6 S0 / 255, d/d blue(1, 6) = -S1 / 255, 0 elsewhere
        double limit = S0 / 255;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    double g = c == 0 && y == 1 && x == 1 ? S0 / 255 : c == 1 && y == 3 && x == 3 ? -0.6 * S0 / 255
                            : c == 2 && y == 1 && x == 6 ? -S1 / 255 : 0;
                    assertEquals(scaled(g, limit), Pixels.rgb(img, tiles.get(c), y, x), "channel " + c + " at " + y + ", " + x);
                }
            }
        }
    }

    @Test
    void theTopActivationsOfTheBatchNormAreColourCropsWithTheRedPixelAtTheTapsPlace() throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("a"));
        Files.createDirectories(data.resolve("b"));
        // bn channel 0 peaks where red is brightest; red 100 gives 2 (100/255 - 0.5) < 0: never a hit
        ImageIO.write(picture(new int[][] {{3, 4, 4, 5, 0xC80000}}), "png", data.resolve("a/0.png").toFile());
        ImageIO.write(picture(new int[][] {{1, 2, 1, 2, 0x640000}}), "png", data.resolve("a/1.png").toFile());
        ImageIO.write(picture(new int[][] {{5, 6, 2, 3, 0xFF0000}}), "png", data.resolve("b/0.png").toFile());
        ImageIO.write(picture(new int[][] {{0, 8, 0, 8, 0x0000FF}}), "png", data.resolve("b/1.png").toFile());
        BufferedImage img = Pixels.picture("show", "activations", model.toString(), "--data", data.toString(), "--layer", "bn",
                "--maps", "0", "--top", "3", "-o", dir.resolve("top.png").toString());
        Pictures.Hit dummy = new Pictures.Hit(1f, 0, 0, 0, 3, 3, new float[27], new float[27]);
        List<ImageGrid.Placement> row = Pictures.activations("bn", new int[] {2, 8, 8}, 3, List.of(0),
                List.of(List.of(dummy, dummy)), 0f, 255f, "gradient").render().row(0);
        assertEquals(4, row.size(), "two hits: two crops and two projections");
        // the hits: red 255 at (5, 2) (unit (6, 3), crop rows 5..7, columns 2..4), then red 200 at (3, 4)
        int[] reds = {0xFF0000, 0xC80000};
        for (int k = 0; k < 2; k++) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(r == 0 && c == 0 ? reds[k] : 0, Pixels.rgb(img, row.get(k), r, c), "crop " + k + " " + r + c);
                    // the projection, summed over colour channels: S0 / 255 times the filter's taps
                    int p = r == 0 && c == 0 ? ColorScale.POSITIVE : r == 2 && c == 2 ? scaled(-0.6, 1) : 0;
                    assertEquals(p, Pixels.rgb(img, row.get(2 + k), r, c), "projection " + k + " " + r + c);
                }
            }
        }
    }
}
