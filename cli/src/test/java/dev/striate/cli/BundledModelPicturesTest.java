package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.viz.ColorScale;
import dev.striate.viz.ImageGrid;
import dev.striate.viz.Pictures;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightsFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every {@code striate show} picture of the bundled MNIST models (the Keras MNIST CNN and
 * LeNet-5) with their trained weights, offline: a drawn 7 and a folder of ten drawn digits stand
 * in for MNIST. Filter tiles are checked against the weights file's numbers (the first layer's
 * kernels and the second layer's line for filter 0, one tile per input channel), the maps'
 * input tile against the image's pixels, and the saliency and top activations are drawn.
 */
class BundledModelPicturesTest {
    @TempDir
    static Path dir;
    static Path digit;
    static Path data;

    @BeforeAll
    static void setUp() throws IOException {
        digit = dir.resolve("seven.png");
        ImageIO.write(stroke(0), "png", digit.toFile());
        data = dir.resolve("digits");
        for (int k = 0; k < 10; k++) {
            Path folder = Files.createDirectories(data.resolve(Integer.toString(k)));
            ImageIO.write(stroke(k), "png", folder.resolve("0.png").toFile());
        }
    }

    /** A 28x28 gray 7 (a bar and a slanted stroke), shifted right by {@code shift} pixels and thinned for odd ones. */
    private static BufferedImage stroke(int shift) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 6; x < 20; x++) {
            img.getRaster().setSample(x + shift / 2, 6, 0, 255);
            img.getRaster().setSample(x + shift / 2, 7, 0, shift % 2 == 0 ? 255 : 120);
        }
        for (int y = 8; y < 24; y++) {
            int x = 19 - (y - 8) / 2 + shift / 2;
            img.getRaster().setSample(x, y, 0, 255);
            img.getRaster().setSample(x + 1, y, 0, 200);
        }
        return img;
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed_cnn", "lenet5"})
    void everyPictureOfTheBundledMnistModels(String name) throws IOException {
        String model = Cli.example("mnist/" + name + ".cnn");
        var weights = WeightsFile.read(Path.of(Cli.example("mnist/" + name + ".weights.json"))).tensors();

        Tensor first = weights.get("conv2d_1.weight");
        int[] s = first.shape();
        BufferedImage filters = Pixels.picture("show", "filters", model, "-o", dir.resolve(name + "-f1.png").toString());
        checkTiles(filters, Pictures.filters("c", new float[first.size()], s[0], s[1], s[2], s[3], -1).render().row(0),
                first.data(), 0, s[0], s[2], s[3]);

        Tensor second = weights.get("conv2d_2.weight");
        int[] t = second.shape();
        BufferedImage line = Pixels.picture("show", "filters", model, "--layer", "conv2d_2", "--filter", "0", "-o",
                dir.resolve(name + "-f2.png").toString());
        // filter 0's line: one tile per input channel, kernels [0, i], on the whole layer's scale
        checkTiles(line, Pictures.filters("c", new float[second.size()], t[0], t[1], t[2], t[3], 0).render().row(0),
                second.data(), ColorScale.spanning(second.data()).limit(), t[1], t[2], t[3]);

        BufferedImage maps = Pixels.picture("show", "maps", model, digit.toString(), "-o", dir.resolve(name + "-maps.png").toString());
        ImageGrid.Placement input = Pictures.maps(new float[784], new int[] {1, 28, 28}, 0f, 255f, List.of()).render()
                .row(0).get(0);
        BufferedImage seven = ImageIO.read(digit.toFile());
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = seven.getRaster().getSample(x, y, 0);
                assertEquals(v << 16 | v << 8 | v, Pixels.rgb(maps, input, y, x), "input pixel " + y + ", " + x);
            }
        }

        BufferedImage saliency = Pixels.picture("show", "saliency", model, digit.toString(), "-o",
                dir.resolve(name + "-saliency.png").toString());
        ImageGrid.Placement g = Pictures.saliency(new float[784], new int[] {1, 28, 28}, 0f, 255f, new float[784], "x")
                .render().row(1).get(0);
        int lit = 0;
        for (int i = 0; i < 784; i++) {
            lit += Pixels.rgb(saliency, g, i / 28, i % 28) != 0 ? 1 : 0;
        }
        assertTrue(lit > 0, "the gradient of the predicted class is not zero everywhere");

        Pixels.picture("show", "activations", model, "--data", data.toString(), "--layer", "conv2d_2", "--top", "3", "-o",
                dir.resolve(name + "-top.png").toString());
    }

    @org.junit.jupiter.api.Test
    void theSobelExamplesSaliencyIsOneKernelAndItsTopActivationsAreEdges() throws IOException {
        String sobel = Cli.example("sobel/sobel.cnn");
        BufferedImage img = Pixels.picture("show", "saliency", sobel, digit.toString(), "-o",
                dir.resolve("sobel-saliency.png").toString());
        ImageGrid.Placement g = Pictures.saliency(new float[576], new int[] {1, 24, 24}, 0f, 255f, new float[576], "x")
                .render().row(1).get(0);
        // the score is one output unit of one kernel: its gradient is that kernel (Gx or Gy) around the unit
        int minY = 24;
        int maxY = -1;
        int minX = 24;
        int maxX = -1;
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 24; x++) {
                if (Pixels.rgb(img, g, y, x) != 0) {
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                }
            }
        }
        assertTrue(maxY >= 0 && maxY - minY <= 2 && maxX - minX <= 2, "one 3x3 window: " + minY + ".." + maxY + ", "
                + minX + ".." + maxX);
        boolean gx = maxX - minX == 2 && Pixels.rgb(img, g, (minY + maxY) / 2, minX) != 0;
        for (int y = minY; y <= maxY; y++) {
            for (int x = minX; x <= maxX; x++) {
                int d = gx ? x - (minX + 1) : y - (minY + 1);
                int v = Pixels.rgb(img, g, y, x);
                // Gx: -1 -2 -1 in the left column, +1 +2 +1 in the right, 0 in the middle (Gy: the same by rows)
                assertTrue(d == 0 ? v == 0 : d < 0 ? (v & 0xFF) > (v >> 16) : (v >> 16) > (v & 0xFF),
                        (gx ? "Gx" : "Gy") + " sign at " + y + ", " + x + ": " + Integer.toHexString(v));
            }
        }
        Pixels.picture("show", "activations", sobel, "--data", data.toString(), "--layer", "sobel", "--top", "4", "-o",
                dir.resolve("sobel-top.png").toString());
    }

    /** Tiles of {@code count} kernels of {@code kh x kw}, from {@code weights[0 ..]}, on the scale {@code limit} (0: their own). */
    private static void checkTiles(BufferedImage img, List<ImageGrid.Placement> tiles, float[] weights, float limit,
                                   int count, int kh, int kw) {
        assertEquals(count, tiles.size());
        ColorScale scale = limit > 0 ? new ColorScale(limit) : ColorScale.spanning(weights);
        for (int k = 0; k < count; k++) {
            for (int i = 0; i < kh * kw; i++) {
                assertEquals(scale.rgb(weights[k * kh * kw + i]), Pixels.rgb(img, tiles.get(k), i / kw, i % kw),
                        "kernel " + k + " tap " + i);
            }
        }
    }
}
