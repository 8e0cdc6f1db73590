package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.data.Shuffle;
import dev.striate.viz.ImageGrid;
import dev.striate.viz.Pictures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code striate show reconstructions}, on the seeded 8x8 IDX stand-in for MNIST: the picture is read
 * back pixel by pixel and compared with what {@code striate evaluate --predictions} reports for the same
 * test images (the shipped class's outputs), quantized as the grid quantizes gray values; an identity
 * model makes evaluate's outputs its noisy inputs, so the noisy row is checked against evaluate's noise
 * too. Then the refusals (a classifier, a model without image targets, --count, the data's shape, -o).
 */
class ShowReconstructionsTest {
    private static final int SIDE = SyntheticIdx.SIDE;
    private static final int SIZE = SIDE * SIDE;
    private static final int TEST_IMAGES = 12;
    private static final float SCALE = (float) (1.0 / 255);

    @TempDir
    static Path dir;
    static Path data;
    /** The test images' pixels, 0..255, as the IDX file holds them. */
    static int[] pixels;

    @BeforeAll
    static void setUp() throws IOException {
        data = dir.resolve("idx");
        SyntheticIdx.write(data, 8, TEST_IMAGES);
        byte[] file = Files.readAllBytes(data.resolve("t10k-images-idx3-ubyte"));
        pixels = new int[TEST_IMAGES * SIZE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = file[16 + i] & 0xFF;
        }
    }

    /** A 1x1 convolution of weight 1: its output is its input, so evaluate's outputs are its noisy inputs. */
    private static Path identity(String name, String trainSettings) throws IOException {
        return identity(name, SIDE, trainSettings);
    }

    private static Path identity(String name, int side, String trainSettings) throws IOException {
        Path model = dir.resolve(name + ".cnn");
        Files.writeString(model, "model " + name + " {\n input image: [1, " + side + ", " + side + "]\n"
                + " conv2d(1, kernel=1, bias=false, name=\"same\")\n}\n\ntrain " + name + " {\n" + trainSettings + "}\n");
        Files.writeString(dir.resolve(name + ".weights.json"), "{\"format\": \"striate-weights\", \"version\": 1, "
                + "\"model\": \"" + name + "\", \"tensors\": [{\"name\": \"same.weight\", \"shape\": [1, 1, 1, 1], "
                + "\"dtype\": \"float32\", \"values\": [1]}]}");
        return model;
    }

    @Test
    void theNoisyRowIsEvaluatesNoisyInputAndTheReconstructionItsOutput() throws IOException {
        Path model = identity("Denoise", " target = image(scale=1/255)\n noise = gaussian(std=64, min=0, max=255)\n"
                + " loss = mse\n seed = 11\n");
        Path out = dir.resolve("denoise.png");
        BufferedImage img = Pixels.picture("show", "reconstructions", model.toString(), "--data", data.toString(), "-o",
                out.toString());
        float[][] evaluated = predictions(model);
        List<List<ImageGrid.Placement>> rows = layout(8);
        int noisy = 0;
        for (int k = 0; k < 8; k++) {
            for (int j = 0; j < SIZE; j++) {
                float input = evaluated[k][j];
                int clean = level(pixels[k * SIZE + j] * SCALE);
                assertEquals(level(input * SCALE), gray(img, rows.get(0).get(k), j), "noisy input, image " + k + " " + j);
                assertEquals(level(input), gray(img, rows.get(1).get(k), j), "output, image " + k + " value " + j);
                assertEquals(clean, gray(img, rows.get(2).get(k), j), "target, image " + k + " value " + j);
                noisy += level(input * SCALE) != clean ? 1 : 0;
                assertTrue(input >= 0 && input <= 255, "clamped to the noise's [min, max]: " + input);
            }
        }
        // std 64 of 255: nearly every pixel of the input row differs from the clean one
        assertTrue(noisy > 8 * SIZE * 3 / 4, noisy + " noisy pixels of " + 8 * SIZE);
        byte[] first = Files.readAllBytes(out);
        Pixels.picture("show", "reconstructions", model.toString(), "--data", data.toString(), "-o", out.toString());
        assertArrayEquals(first, Files.readAllBytes(out), "the same picture, byte for byte");
    }

    @Test
    void theReconstructionRowIsTheShippedClassesOutputForASeededSample() throws IOException {
        Path model = dir.resolve("Ae.cnn");
        Files.writeString(model, """
                model Ae {
                    input image: [1, 8, 8]
                    rescale(1/255)
                    conv2d(3, kernel=3, stride=2, padding=1, activation=relu)
                    conv_transpose2d(1, kernel=3, stride=2, padding=1, output_padding=1, activation=sigmoid)
                }

                train Ae {
                    target = image(scale=1/255)
                    loss = binary_crossentropy
                }
                """);
        Cli.Run init = Cli.run("init", model.toString(), "--seed", "5");
        assertEquals(0, init.exitCode(), init.toString());
        Path out = dir.resolve("ae.png");
        BufferedImage img = Pixels.picture("show", "reconstructions", model.toString(), "--data", data.toString(),
                "--count", "5", "--seed", "3", "-o", out.toString());
        int[] chosen = Arrays.copyOf(Shuffle.permutation(TEST_IMAGES, 3), 5);
        Arrays.sort(chosen);
        float[][] evaluated = predictions(model);
        List<List<ImageGrid.Placement>> rows = layout(5);
        int levels = 0;
        for (int k = 0; k < 5; k++) {
            int image = chosen[k];
            for (int j = 0; j < SIZE; j++) {
                int clean = level(pixels[image * SIZE + j] * SCALE);
                assertEquals(clean, gray(img, rows.get(0).get(k), j), "input (no noise), image " + image);
                assertEquals(level(evaluated[image][j]), gray(img, rows.get(1).get(k), j), "output, image " + image);
                assertEquals(clean, gray(img, rows.get(2).get(k), j), "target, image " + image);
                levels += level(evaluated[image][j]) != level(evaluated[image][0]) ? 1 : 0;
            }
        }
        assertTrue(levels > 0, "the seeded weights give outputs that vary over an image");
    }

    /** Each test image's outputs as {@code striate evaluate --predictions} writes them (exact: Float.toString). */
    private static float[][] predictions(Path model) throws IOException {
        Path csv = dir.resolve(model.getFileName() + ".csv");
        Cli.Run run = Cli.run("evaluate", model.toString(), "--data", data.toString(), "--threads", "1",
                "--predictions", csv.toString());
        assertEquals(0, run.exitCode(), run.toString());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(TEST_IMAGES + 1, lines.size());
        float[][] out = new float[TEST_IMAGES][SIZE];
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertEquals(3 + SIZE, f.length, line);
            for (int j = 0; j < SIZE; j++) {
                out[Integer.parseInt(f[0])][j] = Float.parseFloat(f[3 + j]);
            }
        }
        return out;
    }

    /** Where the command's grid puts the tiles of {@code n} images (the titles do not move them). */
    private static List<List<ImageGrid.Placement>> layout(int n) {
        ImageGrid.Picture p = Pictures.imageRows(new int[] {1, SIDE, SIDE}, n, 0f, 1f, List.of("a", "b", "c"),
                Collections.nCopies(3, new float[n * SIZE])).render();
        return List.of(p.row(0), p.row(1), p.row(2));
    }

    /** The gray level the grid draws for {@code v} on [0, 1]: clipped, times 255, rounded. */
    private static int level(float v) {
        return (int) Math.round(255 * Math.max(0.0, Math.min(1.0, (double) v)));
    }

    private static int gray(BufferedImage img, ImageGrid.Placement p, int j) {
        int rgb = Pixels.rgb(img, p, j / SIDE, j % SIDE);
        assertEquals(rgb & 0xFF, rgb >> 16, "gray");
        return rgb & 0xFF;
    }

    @Test
    void modelsThatAreNotAutoencodersAndBadOptionsAreRefusedAndNothingIsWritten() throws IOException {
        Path out = dir.resolve("never.png");
        String seedCnn = Cli.example("mnist/seed_cnn.cnn");
        // a classifier: at its output layer, before the data is read (MNIST need not be there)
        Cli.Run classifier = expect("E703", "show", "reconstructions", seedCnn, "--data", "mnist", "-o", out.toString());
        assertTrue(classifier.err().matches("(?s).*seed_cnn\\.cnn:\\d+:\\d+: error: reconstructions need a model whose "
                + "output is an image of its input's shape \\[1, 28, 28].*outputs \\[10].*"), classifier.toString());
        Path plain = identity("Plain", " loss = mse\n");
        Cli.Run noTarget = expect("E703", "show", "reconstructions", plain.toString(), "--data", data.toString(), "-o",
                out.toString());
        assertTrue(noTarget.err().contains("Plain.cnn:6:1: error: reconstructions are drawn against the image targets"),
                noTarget.toString());
        Path ok = identity("Ok", " target = image(scale=1/255)\n loss = mse\n");
        expect("E707", "show", "reconstructions", ok.toString(), "--data", data.toString(), "--count", "0", "-o",
                out.toString());
        expect("E707", "show", "reconstructions", ok.toString(), "--data", data.toString(), "--count", "65", "-o",
                out.toString());
        Path six = identity("Six", 6, " target = image(scale=1/255)\n loss = mse\n");
        expect("E715", "show", "reconstructions", six.toString(), "--data", data.toString(), "-o", out.toString());
        expect("E705", "show", "reconstructions", ok.toString(), "--data", data.toString(), "-o",
                dir.resolve("recon.jpg").toString());
        expect("E705", "show", "reconstructions", ok.toString(), "--data", data.toString(), "-o",
                dir.resolve("no/such/recon.png").toString());
        assertFalse(Files.exists(out));
        Cli.Run count = Cli.run("show", "reconstructions", ok.toString(), "--data", data.toString(), "--count", "99999",
                "-o", out.toString());
        assertTrue(count.err().contains("--count must be 1 to 64, got 99999"), count.toString());
    }

    private static Cli.Run expect(String code, String... args) {
        Cli.Run run = Cli.run(args);
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("[" + code + "]"), code + " expected:\n" + run);
        assertFalse(run.err().contains("Exception"), run.toString());
        return run;
    }
}
