package dev.striate.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.backend.GenerateOptions;
import dev.striate.backend.GeneratedFile;
import dev.striate.backend.JavaBackend;
import dev.striate.ir.Graph;
import dev.striate.testing.CompiledModel;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vector variant ({@link GenerateOptions.Variant#VECTOR}) against PyTorch: every fixture, compiled
 * with {@code --release 17 --add-modules jdk.incubator.vector} and run in this JVM (surefire adds the
 * module), must take the Vector API path (its {@code simd} instance is there) and match PyTorch within
 * the fixture's tolerance, with every method under 8,000 bytes of bytecode.
 */
class VectorGoldenTest {

    static Stream<String> cases() {
        return PyTorchFixture.caseNames().stream();
    }

    static List<GeneratedFile> generate(PyTorchFixture fx, String pkg, boolean singleFile) {
        Graph g = PyTorchGoldenTest.bind(fx);
        return JavaBackend.generate(g, new GenerateOptions(pkg, "Model", singleFile, GenerateOptions.Variant.VECTOR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void vectorVariantMatchesPyTorch(String name) throws ReflectiveOperationException {
        PyTorchFixture fx = PyTorchFixture.load(name);
        CompiledModel compiled = CompiledModel.compile(generate(fx, "golden.vector." + name, false),
                CompiledModel.VECTOR_OPTIONS.toArray(new String[0]));
        CompiledModel.Instance model = compiled.load();
        Field simd = compiled.type().getDeclaredField("simd");
        simd.setAccessible(true);
        // surefire's default run adds the module; a run without it (the trainer's scalar-kernel execution
        // when -Dtest selects this class) checks the fallback instead
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(module, simd.get(model.target()) != null, name + ": the vector path is taken exactly when the"
                + " module is present (present: " + module + ")");
        PyTorchGoldenTest.checkOutputs(fx, model);
        checkBatchBits(fx, model, name);
        PyTorchGoldenTest.checkMethodSizes(fx, compiled);
    }

    /** Sets {@code key} back to {@code previous} (cleared when null). */
    private static void restoreProperty(String key, String previous) {
        if (previous == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, previous);
        }
    }

    /**
     * {@code predictBatch} over 11 images (the fixture's inputs in turn: a full block of 8 and a partial one) gives
     * {@code predict}'s bits for each, whatever the batched kernels (dense layers, gathered Winograd layers).
     */
    static void checkBatchBits(PyTorchFixture fx, CompiledModel.Instance model, String what) {
        float[][] in = new float[11][];
        for (int i = 0; i < in.length; i++) {
            in[i] = fx.inputs()[i % fx.inputs().length];
        }
        float[][] out = model.predictBatch(in);
        for (int i = 0; i < in.length; i++) {
            assertArrayEquals(model.predict(in[i]), out[i], what + ": image " + i + " of the batch is predict's, bit for bit");
        }
    }

    /**
     * The Winograd fixture with Winograd forced on and off ({@code -Dstriate.winograd=true/false}, read when the class
     * initializes; on by default) and the gathered batch path on ({@code -Dstriate.batchConv=true}, off by default:
     * the other fixtures cover image by image): PyTorch's outputs within the
     * tolerance, and (with the module) other bits than the direct path's, so its two layers took the path.
     */
    @Test
    void winogradFixtureMatchesPyTorch() throws ReflectiveOperationException {
        PyTorchFixture fx = PyTorchFixture.load("winograd_cnn");
        List<GeneratedFile> files = generate(fx, "golden.vwino", false);
        assertEquals(2, new String(files.get(0).content(), StandardCharsets.UTF_8).split("winograd\\(pad_", -1).length - 1,
                "two layers call the Winograd driver");
        assertEquals(2, new String(files.get(0).content(), StandardCharsets.UTF_8).split("_batchIn\\(v", -1).length - 1,
                "predictBatch gathers both across a block's images");
        float[][] out = new float[2][];
        String[] flags = {"true", "false"};
        for (int i = 0; i < 2; i++) {
            String previous = System.setProperty("striate.winograd", flags[i]);
            String gather = System.setProperty("striate.batchConv", "true");
            try {
                CompiledModel.Instance model = CompiledModel.compile(files,
                        CompiledModel.VECTOR_OPTIONS.toArray(new String[0])).load();
                PyTorchGoldenTest.checkOutputs(fx, model);
                checkBatchBits(fx, model, "winograd " + flags[i]);
                out[i] = model.predict(fx.inputs()[0]);
            } finally {
                restoreProperty("striate.winograd", previous);
                restoreProperty("striate.batchConv", gather);
            }
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            assertFalse(Arrays.equals(out[0], out[1]), "Winograd's sums differ from the direct convolution's");
        }
    }

    /** Instances of {@code load()} share one packing of the weights, and compute alike. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mnist_cnn"})
    void instancesShareThePackedWeights(String name) throws ReflectiveOperationException {
        PyTorchFixture fx = PyTorchFixture.load(name);
        CompiledModel compiled = CompiledModel.compile(generate(fx, "golden.vshare." + name, false),
                CompiledModel.VECTOR_OPTIONS.toArray(new String[0]));
        CompiledModel.Instance a = compiled.load();
        CompiledModel.Instance b = compiled.load();
        Object simdA = field(a.target(), "simd");
        Object simdB = field(b.target(), "simd");
        assertArrayEquals(a.predict(fx.inputs()[0]), b.predict(fx.inputs()[0]));
        if (!ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            assertTrue(simdA == null && simdB == null, "no vector path without the module");
            return;
        }
        assertTrue(simdA != simdB, "each instance has its own buffers");
        assertTrue(field(simdA, "packed") == field(simdB, "packed"), "one packing for the shared weights");
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    /** Same graph, same options: byte-identical source (and blob). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mnist_cnn", "tiny_resnet", "depthwise_separable", "lenet5"})
    void vectorSourceIsDeterministic(String name) {
        PyTorchFixture fx = PyTorchFixture.load(name);
        List<GeneratedFile> a = generate(fx, "p", false);
        List<GeneratedFile> b = generate(fx, "p", false);
        assertArrayEquals(a.get(0).content(), b.get(0).content());
        assertArrayEquals(a.get(1).content(), b.get(1).content());
        String src = new String(a.get(0).content(), StandardCharsets.UTF_8);
        assertTrue(src.contains("jdk.incubator.vector.FloatVector") && src.contains("SPECIES_PREFERRED"), src);
    }

    /**
     * The vector variant embeds the scalar class unchanged: same blob, and the scalar source's layer methods
     * (up to its nested batch classes, whose helpers call {@code runBlock} in a vector class that batches its
     * dense layers).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mnist_cnn", "tiny_resnet"})
    void vectorVariantKeepsTheScalarTwin(String name) {
        PyTorchFixture fx = PyTorchFixture.load(name);
        Graph g = PyTorchGoldenTest.bind(fx);
        List<GeneratedFile> scalar = JavaBackend.generate(g, new GenerateOptions("p", "Model", false));
        List<GeneratedFile> vector = generate(fx, "p", false);
        assertArrayEquals(scalar.get(1).content(), vector.get(1).content(), "the weights blob is shared");
        String s = new String(scalar.get(0).content(), StandardCharsets.UTF_8);
        String v = new String(vector.get(0).content(), StandardCharsets.UTF_8);
        int firstLayer = s.indexOf("    /**\n     * Layer {@code");
        assertTrue(firstLayer > 0);
        int nested = s.indexOf("    /**\n     * The state of the threaded");
        assertTrue(nested > firstLayer);
        String layers = s.substring(firstLayer, nested);
        assertTrue(v.contains(layers), "the scalar layer methods appear unchanged in the vector variant");
    }
}
