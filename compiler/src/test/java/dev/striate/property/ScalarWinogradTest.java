package dev.striate.property;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.CompileResult;
import dev.striate.backend.GeneratedFile;
import dev.striate.ir.Graph;
import dev.striate.testing.BytecodeSizes;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.ReferenceInterpreter;
import dev.striate.testing.Tolerance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Winograd F(2x2,3x3) in the scalar class ({@code ScalarWinograd}): each eligible layer's outputs against the
 * reference interpreter in double precision within the fixtures' tolerance (the worst {@code |err| / (atol +
 * rtol |ref|)} printed), on odd and even maps, padding 1 and none, fused with a pool, weights stored
 * {@code [row][channel]} (the channel-inner layout) and PyTorch's; the shapes it must leave to the direct forms;
 * several weights arrays in one class (its transformed-weights cache is per array); the layer methods under
 * HotSpot's 8,000-byte limit. The PyTorch fixture {@code winograd_cnn} runs two such layers (PyTorchGoldenTest).
 */
class ScalarWinogradTest {
    @TempDir
    Path dir;

    private static String layer(String name, int c, int hw, String line) {
        return "model " + name + " {\n    input x: [" + c + ", " + hw + ", " + hw + "]\n    " + line + "\n}\n";
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void oddMapMatchesTheDoubleReference(long seed) throws IOException {
        // 13x13: 49 tiles (odd: the last tile's one-tile pass), the last row and column of tiles cropped
        check("Odd", layer("Odd", 64, 13, "conv2d(128, kernel=3, padding=1, activation=relu, name=\"a\")"), seed, 1);
    }

    @Test
    void pooledLayerMatchesTheDoubleReference() throws IOException {
        Model m = check("Pooled", layer("Pooled", 128, 14,
                "conv2d(64, kernel=3, padding=1, activation=relu, name=\"a\")\n    maxpool(size=2)"), 3, 1);
        assertTrue(m.java.contains("maxpool [128, 14, 14] -> [64, 7, 7]") || m.java.contains("-> [64, 7, 7]"),
                "the conv and its pool are one layer");
    }

    @Test
    void validPaddingWithoutBiasMatchesTheDoubleReference() throws IOException {
        // 15x15 without padding: a 13x13 result, no bias, no activation
        check("Valid", layer("Valid", 64, 15, "conv2d(96, kernel=3, bias=false, name=\"a\")"), 4, 1);
    }

    @Test
    void channelInnerLayoutMatchesTheDoubleReference() throws IOException {
        // 8x8 with 256 output channels: the blob keeps the channel-inner product's [row][channel] layout; tanh
        Model m = check("Inner", layer("Inner", 128, 8,
                "conv2d(256, kernel=3, padding=1, activation=tanh, name=\"a\")"), 5, 1);
        assertTrue(m.java.contains("winogradWeights(w, \"A_WEIGHT\", A_WEIGHT, 128, 256, 1, 2304, 256)"),
                "the transform reads the [row][channel] layout");
    }

    @Test
    void twoLayersMatchTheDoubleReference() throws IOException {
        check("Two", "model Two {\n    input x: [64, 10, 10]\n"
                + "    conv2d(64, kernel=3, padding=same, activation=relu, name=\"a\")\n"
                + "    conv2d(128, kernel=3, padding=same, activation=relu, name=\"b\")\n}\n", 6, 2);
    }

    /** Shapes Winograd F(2x2,3x3) does not take, or that are too narrow or too small for it. */
    @ParameterizedTest
    @ValueSource(strings = {
        "32|13|conv2d(64, kernel=3, padding=1)",
        "64|13|conv2d(32, kernel=3, padding=1)",
        "64|13|conv2d(64, kernel=3, stride=2, padding=1)",
        "64|13|conv2d(64, kernel=3, padding=1, dilation=2)",
        "64|13|conv2d(64, kernel=3, padding=1, groups=2)",
        "64|13|conv2d(64, kernel=5, padding=2)",
        "64|13|conv2d(64, kernel=3, padding=2)",
        "64|6|conv2d(64, kernel=3, padding=1)",
    })
    void otherShapesStayDirect(String spec) throws IOException {
        String[] p = spec.split("\\|");
        String name = "Direct" + Math.abs(spec.hashCode());
        Model m = model(name, layer(name, Integer.parseInt(p[0]), Integer.parseInt(p[1]), p[2]), 7);
        assertFalse(m.java.contains("winogradWeights"), spec);
        Tolerance.assertClose(ReferenceInterpreter.run(m.bound, m.input(new Random(8))),
                m.compiled.load().predict(m.input(new Random(8))), spec);
    }

    /**
     * Instances on two weights arrays of one class, called in turn: each gives the results of its own weights
     * (the class of the model compiled with them), bit for bit, so the transformed weights are kept per array.
     */
    @Test
    void eachWeightsArrayHasItsOwnTransformedWeights() throws IOException {
        String source = layer("Cache", 64, 9, "conv2d(64, kernel=3, padding=1, name=\"a\")");
        Model a = model("Cache", source, 9);
        Model b = model("Cache", source, 10);
        CompiledModel.Instance onA = a.compiled.load();
        CompiledModel.Instance onB = a.compiled.load(b.blob());
        CompiledModel.Instance bOwn = b.compiled.load();
        float[] x = a.input(new Random(11));
        for (int i = 0; i < 3; i++) {
            float[] ya = onA.predict(x);
            float[] yb = onB.predict(x);
            assertArrayEquals(bOwn.predict(x), yb, "round " + i + ": the second array's weights");
            assertFalse(java.util.Arrays.equals(ya, yb), "round " + i + ": different weights, different results");
            Tolerance.assertClose(ReferenceInterpreter.run(a.bound, x), ya, "round " + i + ": the first array's");
        }
    }

    /**
     * Compiles the model (scalar class), checks that {@code layers} of its layers take Winograd, its methods'
     * sizes and, for two inputs, its results within the fixtures' tolerance of the double-precision reference.
     */
    private Model check(String name, String source, long seed, int layers) throws IOException {
        Model m = model(name, source, seed);
        assertEquals(layers, m.java.split("float\\[]\\[] u = winogradWeights\\(", -1).length - 1,
                "layers taking Winograd");
        for (Map.Entry<String, Integer> e : BytecodeSizes.methodSizes(m.compiled.classFiles()).entrySet()) {
            assertTrue(e.getValue() < BytecodeSizes.HUGE_METHOD_LIMIT, e.getKey() + ": " + e.getValue() + " bytes");
        }
        CompiledModel.Instance instance = m.compiled.load();
        Random random = new Random(seed + 100);
        for (int t = 0; t < 2; t++) {
            float[] x = m.input(random);
            double[] want = ReferenceInterpreter.run(m.bound, x);
            float[] got = instance.predict(x);
            System.out.printf("%s seed %d input %d: worst error / tolerance %.3f%n", name, seed, t,
                    DrawnModels.worst(want, got));
            Tolerance.assertClose(want, got, name + " seed " + seed);
        }
        return m;
    }

    /** The model with weights drawn as a trained layer's (Kaiming-uniform, bias within 0.1), compiled into the scalar class. */
    private Model model(String name, String source, long seed) throws IOException {
        return new Model(DrawnModels.compile(dir, name, source, seed, false));
    }

    private static final class Model {
        final DrawnModels.Drawn drawn;
        final CompileResult result;
        final Graph bound;
        final String java;
        final CompiledModel compiled;

        Model(DrawnModels.Drawn drawn) {
            this.drawn = drawn;
            this.result = drawn.result();
            this.bound = drawn.bound();
            this.java = drawn.java();
            this.compiled = CompiledModel.compile(result.files());
        }

        byte[] blob() {
            for (GeneratedFile f : result.files()) {
                if (f.kind() == GeneratedFile.Kind.RESOURCE) {
                    return f.content();
                }
            }
            throw new AssertionError("no weights blob in " + result.files());
        }

        float[] input(Random random) {
            return drawn.input(random);
        }
    }
}
