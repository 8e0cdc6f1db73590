package dev.striate.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activation;
import dev.striate.ir.Dense;
import dev.striate.ir.Node;
import dev.striate.ir.Shape;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightSet;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitWeightsTest {
    private static final WeightSet W = InitWeights.run(BindWeightsTest.tiny(), 42);

    private static float[] data(WeightSet w, String name) {
        return w.tensors().get(name).data();
    }

    @Test
    void makesEveryParameterWithItsShapeInGraphOrder() {
        assertEquals("Tiny", W.modelName());
        assertEquals(List.of("conv2d_1.weight [4, 1, 3, 3]", "conv2d_1.bias [4]", "batchnorm_1.weight [4]",
                "batchnorm_1.bias [4]", "batchnorm_1.running_mean [4]", "batchnorm_1.running_var [4]",
                "dense_1.weight [10, 144]", "dense_1.bias [10]"),
                W.tensors().values().stream().map(Tensor::toString).toList());
    }

    @Test
    void reluLayerGetsHeUniformWithinItsBound() {
        assertWithinAndNear(data(W, "conv2d_1.weight"), Math.sqrt(6.0 / 9), 0.8); // fan_in 1 x 3 x 3
    }

    @Test
    void valuesMatchAnIndependentSplitMix64Implementation() {
        // Computed in Python from the documented algorithm: SplitMix64 seeded with the first 8
        // bytes of SHA-256(seed as big-endian long + name), value = -a + 2a * nextDouble().
        float[] conv = data(W, "conv2d_1.weight");
        assertArrayEquals(new float[] {0.1558472216129303f, -0.6339909434318542f, -0.34614086151123047f,
            -0.45958080887794495f}, Arrays.copyOf(conv, 4));
        float[] dense = data(W, "dense_1.weight");
        assertArrayEquals(new float[] {-0.18120600283145905f, 0.09406823664903641f, 0.11674673855304718f},
                Arrays.copyOf(dense, 3));
    }

    @Test
    void aTrainBlocksInitReplacesEveryKernelsInitializerOnly() {
        WeightSet g = InitWeights.run(BindWeightsTest.tiny(), 42, InitWeights.KernelInit.GLOROT_UNIFORM);
        // the same stream as the He values above (Python-computed), scaled from He's bound sqrt(6 / 9) to
        // Glorot's sqrt(6 / (9 + 36)): fan_out of a [4, 1, 3, 3] kernel is 4 x 3 x 3
        double scale = Math.sqrt(6.0 / 45) / Math.sqrt(6.0 / 9);
        float[] conv = data(g, "conv2d_1.weight");
        assertEquals(0.1558472216129303 * scale, conv[0], 1e-6);
        assertEquals(-0.45958080887794495 * scale, conv[3], 1e-6);
        assertArrayEquals(data(W, "dense_1.weight"), data(g, "dense_1.weight"), "already Glorot uniform");
        assertArrayEquals(new float[4], data(g, "conv2d_1.bias"));
        assertArrayEquals(new float[] {1, 1, 1, 1}, data(g, "batchnorm_1.weight"));
        WeightSet he = InitWeights.run(BindWeightsTest.tiny(), 42, InitWeights.KernelInit.HE_UNIFORM);
        assertEquals(-0.18120600283145905 * Math.sqrt(6.0 / 144) / Math.sqrt(6.0 / 154), data(he, "dense_1.weight")[0],
                1e-6);
        float[] normal = data(InitWeights.run(BindWeightsTest.tiny(), 42, InitWeights.KernelInit.HE_NORMAL),
                "dense_1.weight");
        double sq = 0;
        for (float v : normal) {
            sq += v * v;
        }
        assertEquals(Math.sqrt(2.0 / 144), Math.sqrt(sq / normal.length), 0.1 * Math.sqrt(2.0 / 144));
        assertEquals(InitWeights.KernelInit.GLOROT_UNIFORM, InitWeights.KernelInit.byId("glorot_uniform"));
    }

    @Test
    void softmaxLayerGetsGlorotUniformWithinItsBound() {
        assertWithinAndNear(data(W, "dense_1.weight"), Math.sqrt(6.0 / (144 + 10)), 0.95);
    }

    /** Every |w| is within {@code bound}, and the largest reaches {@code near} of it (uniform, not narrower). */
    private static void assertWithinAndNear(float[] w, double bound, double near) {
        double max = 0;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= bound && max > near * bound, "max |w| " + max + " vs bound " + bound);
    }

    @Test
    void biasesAreZeroAndBatchNormIsIdentity() {
        assertArrayEquals(new float[4], data(W, "conv2d_1.bias"));
        assertArrayEquals(new float[10], data(W, "dense_1.bias"));
        assertArrayEquals(new float[] {1, 1, 1, 1}, data(W, "batchnorm_1.weight"));
        assertArrayEquals(new float[4], data(W, "batchnorm_1.bias"));
        assertArrayEquals(new float[4], data(W, "batchnorm_1.running_mean"));
        assertArrayEquals(new float[] {1, 1, 1, 1}, data(W, "batchnorm_1.running_var"));
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherWeights(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a/tiny.weights.json");
        Path b = dir.resolve("b/tiny.weights.json");
        WeightsFile.write(a, InitWeights.run(BindWeightsTest.tiny(), 42));
        WeightsFile.write(b, InitWeights.run(BindWeightsTest.tiny(), 42));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertArrayEquals(Files.readAllBytes(a.resolveSibling("tiny.weights.bin")),
                Files.readAllBytes(b.resolveSibling("tiny.weights.bin")));
        WeightSet other = InitWeights.run(BindWeightsTest.tiny(), 43);
        assertFalse(Arrays.equals(data(W, "conv2d_1.weight"), data(other, "conv2d_1.weight")));
        assertFalse(Arrays.equals(data(W, "dense_1.weight"), data(other, "dense_1.weight")));
    }

    @Test
    void tensorsOfOneLayerAreIndependentOfTheOthers() {
        assertFalse(Arrays.equals(Arrays.copyOf(data(W, "dense_1.weight"), 36), data(W, "conv2d_1.weight")));
        List<Node> nodes = BindWeightsTest.tinyNodes();
        nodes.add(1, new Node("dense_0", new Dense(3, true, new Activation.Relu()), List.of("x"), Shape.of(3),
                BindWeightsTest.at(9)));
        nodes.add(new Node("dense_2", new Dense(5, true, new Activation.Identity()), List.of("dense_1"), Shape.of(5),
                BindWeightsTest.at(10)));
        // dense_0 reads x, but nothing reads dense_0: only the other tensors' streams matter here.
        WeightSet grown = InitWeights.run(BindWeightsTest.graph(nodes), 42);
        assertEquals(12, grown.tensors().size());
        for (String name : W.tensors().keySet()) {
            assertArrayEquals(data(W, name), data(grown, name), name);
        }
    }

    @Test
    void needsAShapedGraph() {
        List<Node> nodes = BindWeightsTest.tinyNodes();
        nodes.set(3, nodes.get(3).withShape(Shape.UNKNOWN));
        assertThrows(IllegalStateException.class, () -> InitWeights.run(BindWeightsTest.graph(nodes), 1));
    }
}
