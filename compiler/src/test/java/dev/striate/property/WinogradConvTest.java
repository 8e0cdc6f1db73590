package dev.striate.property;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.striate.CompileResult;
import dev.striate.ir.Graph;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.ReferenceInterpreter;
import dev.striate.testing.Tolerance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Winograd F(2x2,3x3) in the vector variant ({@code SimdWinograd}): each layer's outputs against the reference
 * interpreter (double precision) within the fixtures' tolerance on several seeds, with the kernel-row and the GEMM
 * kernels (the same bits), the path really taken (its results differ from {@code -Dstriate.winograd=false}'s
 * direct convolution), and the first, interpreted call giving the bits of a call compiled by C2.
 */
class WinogradConvTest {
    /** 13x13 (49 tiles, the last row and column of tiles cropped), 64 -> 128, padding 1, relu. */
    private static final String CROPPED = layer("WinoCropped", 64, 13, "conv2d(128, kernel=3, padding=1, activation=relu, name=\"a\")");
    /** 14x14, 128 -> 64 fused with a 2x2 max pool. */
    private static final String POOLED = layer("WinoPooled", 128, 14,
            "conv2d(64, kernel=3, padding=1, activation=relu, name=\"a\")\n    maxpool(size=2)");
    /**
     * The MNIST CNN's second layer: 13x13 without padding, 32 -> 64 (the narrowest taken), fused with a 2x2 max pool
     * that reads only the first 10 of the 11 rows and columns: 25 tiles instead of 36, the rest left unwritten.
     */
    private static final String POOL_CROPPED = layer("WinoPoolCropped", 32, 13,
            "conv2d(64, kernel=3, activation=relu, name=\"a\")\n    maxpool(size=2)");
    /**
     * The Fashion CNN's last conv: 7x7, 256 -> 256, then a 2x2 max pool that {@code FusePool} leaves unfused (too
     * large for the scalar class's one-plane form) and that reads only the first 6 rows and columns: 9 tiles, the
     * fewest taken, the seventh row and column left unwritten.
     */
    private static final String READER_CROPPED = layer("WinoReaderCropped", 256, 7,
            "conv2d(256, kernel=3, padding=1, activation=relu, name=\"a\")\n    maxpool(size=2)");
    /** 8x8 (16 tiles, the fewest taken uncropped) with 128 x 256 channels, tanh after the transform. */
    private static final String FEW = layer("WinoFew", 128, 8, "conv2d(256, kernel=3, padding=1, activation=tanh, name=\"a\")");
    /** 15x15 without padding: a 13x13 result, no activation. */
    private static final String VALID = layer("WinoValid", 64, 15, "conv2d(128, kernel=3, name=\"a\")");

    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    @TempDir
    Path dir;

    private static String layer(String name, int c, int hw, String line) {
        return "model " + name + " {\n    input x: [" + c + ", " + hw + ", " + hw + "]\n    " + line + "\n}\n";
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void croppedTilesMatchTheDoubleReference(long seed) throws IOException {
        check("WinoCropped", CROPPED, seed);
    }

    @Test
    void pooledLayerMatchesTheDoubleReference() throws IOException {
        check("WinoPooled", POOLED, 4);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12})
    void poolCroppedTilesMatchTheDoubleReference(long seed) throws IOException {
        Model m = check("WinoPoolCropped", POOL_CROPPED, seed);
        assertTrue(m.java.contains("Winograd F(2x2,3x3): 25 tiles"), "only the tiles the pool reads");
    }

    @Test
    void tilesCroppedByAnUnfusedPoolMatchTheDoubleReference() throws IOException {
        Model m = check("WinoReaderCropped", READER_CROPPED, 13);
        assertTrue(m.java.contains("Winograd F(2x2,3x3): 9 tiles"), "only the tiles the pool reads");
        assertTrue(m.java.contains("maxpool [256, 7, 7] -> [256, 3, 3] (vector pool"), "the pool is its own layer");
    }

    @Test
    void sixteenTilesMatchTheDoubleReference() throws IOException {
        check("WinoFew", FEW, 5);
    }

    @Test
    void validPaddingMatchesTheDoubleReference() throws IOException {
        check("WinoValid", VALID, 6);
    }

    /** The GEMMs' two kernel families (kernel rows on ROW_KERNELS JVMs, GEMM kernels elsewhere) give the same bits. */
    @Test
    void rowAndGemmKernelsGiveTheSameBits() throws IOException {
        Model m = model("WinoCropped", CROPPED, 7);
        float[] x = m.input(new Random(8));
        assertArrayEquals(m.load("true", "true").predict(x), m.load("true", "false").predict(x));
    }

    @Test
    void firstCallGivesTheBitsOfACompiledCall() throws IOException {
        Model m = model("WinoCropped", CROPPED, 9);
        CompiledModel.Instance instance = m.load("true", null);
        float[] x = m.input(new Random(10));
        float[] cold = instance.predict(x);
        float[] warm = null;
        for (int i = 0; i < 300; i++) {
            warm = instance.predict(x);
        }
        assertArrayEquals(cold, warm, "interpreted and compiled calls");
    }

    /**
     * Compiles the one-layer model {@code source}, checks that its layer takes Winograd, and for two inputs: the
     * Winograd result within the fixtures' tolerance of the double-precision reference (the worst
     * {@code |err| / (atol + rtol |ref|)} printed beside the direct convolution's), and different bits from the
     * direct path ({@code striate.winograd=false}), so the path really ran.
     */
    private Model check(String name, String source, long seed) throws IOException {
        Model m = model(name, source, seed);
        assertTrue(m.java.contains("Winograd F(2x2,3x3) when the channels") && m.java.contains("winograd("),
                "the layer takes Winograd");
        CompiledModel.Instance wino = m.load("true", null);
        CompiledModel.Instance direct = m.load("false", null);
        Random random = new Random(seed + 100);
        for (int t = 0; t < 2; t++) {
            float[] x = m.input(random);
            double[] want = ReferenceInterpreter.run(m.bound, x);
            float[] a = wino.predict(x);
            float[] d = direct.predict(x);
            System.out.printf("%s seed %d input %d: worst error / tolerance Winograd %.3f, direct %.3f%n", name, seed, t,
                    DrawnModels.worst(want, a), DrawnModels.worst(want, d));
            Tolerance.assertClose(want, a, name + " seed " + seed + ", Winograd");
            if (VECTOR) {   // without the module (a JVM run without --add-modules) both run the scalar class
                assertFalse(Arrays.equals(a, d), "Winograd ran (its sums differ from the direct convolution's)");
            }
        }
        return m;
    }

    /**
     * The model with weights drawn as a trained layer's (Kaiming-uniform, bias within 0.1: outputs of order 1, as
     * in the fixtures) from {@code seed}, compiled into the vector variant.
     */
    private Model model(String name, String source, long seed) throws IOException {
        return new Model(DrawnModels.compile(dir, name, source, seed, true));
    }

    private static final class Model {
        final CompileResult result;
        final Graph bound;
        final int size;
        final String java;
        final DrawnModels.Drawn drawn;

        Model(DrawnModels.Drawn drawn) {
            this.drawn = drawn;
            this.result = drawn.result();
            this.bound = drawn.bound();
            this.size = drawn.size();
            this.java = drawn.java();
        }

        float[] input(Random random) {
            return drawn.input(random);
        }

        /** A new class (its flags read at initialization) under {@code striate.winograd} and {@code striate.rowKernels}. */
        CompiledModel.Instance load(String winograd, String rowKernels) {
            String[] keys = {"striate.winograd", "striate.rowKernels"};
            String[] values = {winograd, rowKernels};
            String[] previous = new String[2];
            for (int i = 0; i < 2; i++) {
                previous[i] = values[i] == null ? System.clearProperty(keys[i]) : System.setProperty(keys[i], values[i]);
            }
            try {
                CompiledModel.Instance instance = CompiledModel.compile(result.files(),
                        CompiledModel.VECTOR_OPTIONS.toArray(new String[0])).load();
                instance.predict(new float[size]);   // initializes the classes under these properties
                return instance;
            } finally {
                for (int i = 0; i < 2; i++) {
                    if (previous[i] == null) {
                        System.clearProperty(keys[i]);
                    } else {
                        System.setProperty(keys[i], previous[i]);
                    }
                }
            }
        }
    }
}
