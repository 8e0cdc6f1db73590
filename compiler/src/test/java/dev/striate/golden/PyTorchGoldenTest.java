package dev.striate.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.striate.Compiler;
import dev.striate.backend.GenerateOptions;
import dev.striate.backend.JavaBackend;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.testing.BytecodeSizes;
import dev.striate.testing.CompiledModel;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test against PyTorch: every fixture of {@code tools/reference/generate.py} goes
 * through the whole pipeline (parse, lower, infer shapes, bind weights, generate Java, compile in
 * memory with {@code --release 11}, run) and must match PyTorch's eval-mode outputs within the
 * fixture's tolerance ({@code |a - e| <= atol + rtol * |e|}), with every generated method under
 * HotSpot's 8,000-byte {@code HugeMethodLimit}.
 */
class PyTorchGoldenTest {

    static Stream<String> cases() {
        return PyTorchFixture.caseNames().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void generatedCodeMatchesPyTorch(String name) {
        PyTorchFixture fx = PyTorchFixture.load(name);
        CompiledModel compiled = CompiledModel.compile(JavaBackend.generate(bind(fx),
                new GenerateOptions("golden." + name, "Model", false)));
        checkOutputs(fx, compiled.load());
        checkMethodSizes(fx, compiled);
    }

    /** Single-file mode (weights embedded in the source) gives the same numbers. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void singleFileModeMatchesPyTorch(String name) {
        PyTorchFixture fx = PyTorchFixture.load(name);
        CompiledModel compiled = CompiledModel.compile(JavaBackend.generate(bind(fx),
                new GenerateOptions("golden.single." + name, "Model", true)));
        checkOutputs(fx, compiled.load());
        checkMethodSizes(fx, compiled);
    }

    /** Every method of every generated class stays under HotSpot's HugeMethodLimit, so the JIT compiles it. */
    static void checkMethodSizes(PyTorchFixture fx, CompiledModel compiled) {
        for (Map.Entry<String, Integer> e : BytecodeSizes.methodSizes(compiled.classFiles()).entrySet()) {
            assertTrue(e.getValue() < BytecodeSizes.HUGE_METHOD_LIMIT,
                    fx.name() + ": " + e.getKey() + " has " + e.getValue() + " bytes of bytecode");
        }
    }

    @Test
    void everyFixtureIsListed() {
        List<String> names = PyTorchFixture.caseNames();
        assertTrue(names.size() >= 50, "expected the full fixture set, found " + names.size());
        assertTrue(names.containsAll(List.of("lenet5", "mnist_cnn", "tiny_resnet", "depthwise_separable",
                "course_example", "sobel", "conv2d_same_s2_even", "conv2d_same_s2_odd")), names.toString());
    }

    static Graph bind(PyTorchFixture fx) {
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(fx.model(), null, diagnostics);
        graph = Compiler.bindWeights(graph, fx.weights(), diagnostics);
        assertEquals(List.of(), diagnostics.sorted(), "fixture " + fx.name() + " should compile cleanly");
        Graph g = graph;
        assertArrayEquals(fx.inputShape(), g.inputs().get(0).shape().dims(), "input shape");
        assertArrayEquals(fx.outputShape(), g.node(g.outputs().get(0)).shape().dims(), "output shape");
        return g;
    }

    static void checkOutputs(PyTorchFixture fx, CompiledModel.Instance model) {
        for (int s = 0; s < fx.inputs().length; s++) {
            float[] actual = model.predict(fx.inputs()[s]);
            float[] expected = fx.outputs()[s];
            assertEquals(expected.length, actual.length, fx.name() + " sample " + s + ": output size");
            for (int i = 0; i < expected.length; i++) {
                double err = Math.abs(actual[i] - expected[i]);
                if (!(err <= fx.atol() + fx.rtol() * Math.abs(expected[i]))) {
                    fail(fx.name() + " sample " + s + " element " + i + ": got " + actual[i] + ", PyTorch "
                            + expected[i] + " (error " + err + ")");
                }
            }
        }
        float[][] batch = model.predictBatch(fx.inputs());
        for (int s = 0; s < batch.length; s++) {
            assertArrayEquals(model.predict(fx.inputs()[s]), batch[s], fx.name() + ": predictBatch sample " + s);
        }
    }
}
