package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.striate.Compiler;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.passes.BindWeights;
import dev.striate.passes.InitWeights;
import dev.striate.passes.Pass;
import dev.striate.passes.PassPipeline;
import dev.striate.testing.CompiledModel;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vector class allocates nothing per {@code predict(input, output)} once C2 has compiled it, on the running JDK,
 * with Winograd forced on and off ({@code striate.winograd}): a vector operation C2 does not intrinsify boxes its
 * vectors on every call (JDK 17's C2 did so in the Winograd transforms and the direct kernels, docs/vector.md, "Known
 * limits"). Three models shaped like the benchmark's, small enough for 20,000 calls: the Keras MNIST CNN (its 32 -> 64
 * layer Winograd, cropped by its pool), a Fashion-like CNN (a 7x7 first layer of 64 filters, the direct 4-vector
 * kernels on AVX-512, fused with its pool; Winograd 3x3 layers, one fused with its pool; dense layers) and a Go-like
 * board net (a 5x5 layer, Winograd 3x3 layers on a 10x10 board, a 1x1 head of one filter). 20,000 calls first, so
 * that the methods called once per prediction have been compiled by C2 too (inlining their callees: the boxing showed
 * in such compilations); then the fewest bytes over windows of 200 calls, until one allocates nothing. Without the
 * vector module the class runs its scalar twin, which must not allocate either.
 */
class SteadyStateAllocationTest {
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final int WARM_CALLS = 20_000;
    private static final int WINDOW = 200;
    private static final int WINDOWS = 50;

    private static final String FASHION = """
            model FashionLike {
                input image: [1, 16, 16]
                conv2d(64, kernel=7, padding=same, activation=relu)
                maxpool(2)
                conv2d(64, kernel=3, padding=same, activation=relu)
                conv2d(128, kernel=3, padding=same, activation=relu)
                maxpool(2)
                flatten
                dense(32, activation=relu)
                dense(10, activation=softmax)
            }
            """;

    private static final String GO = """
            model GoLike {
                input board: [16, 10, 10]
                conv2d(64, kernel=5, padding=same, activation=relu)
                conv2d(64, kernel=3, padding=same, activation=relu)
                conv2d(64, kernel=3, padding=same, activation=relu)
                conv2d(1, kernel=1)
                flatten
                softmax
            }
            """;

    @TempDir
    Path dir;

    static Stream<Arguments> cases() throws IOException {
        String mnist = Files.readString(Path.of("src/test/resources/fixtures/mnist_cnn/model.cnn"), StandardCharsets.UTF_8);
        List<Arguments> all = new ArrayList<>();
        for (String[] model : new String[][] {{"MnistCnn", mnist}, {"FashionLike", FASHION}, {"GoLike", GO}}) {
            for (boolean winograd : new boolean[] {true, false}) {
                all.add(Arguments.of(model[0], model[1], winograd));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, Winograd {2}")
    @MethodSource("cases")
    void aSteadyStatePredictAllocatesNothing(String name, String source, boolean winograd) throws Throwable {
        Graph graph = seeded(dir, name, source);
        Graph optimized = PassPipeline.optimize(graph, Pass.Mode.INFERENCE, null);
        String java = new String(JavaBackend.generate(optimized, new GenerateOptions("p", name, false,
                GenerateOptions.Variant.VECTOR)).get(0).content(), StandardCharsets.UTF_8);
        assertTrue(java.contains("winograd("), name + " has Winograd layers");

        String previous = System.setProperty("striate.winograd", Boolean.toString(winograd));
        CompiledModel.Instance m;
        float[] input = new float[graph.inputs().get(0).shape().size()];
        float[] output = new float[optimized.node(optimized.outputs().get(0)).shape().size()];
        try {
            m = CompiledModel.compile(JavaBackend.generate(optimized, new GenerateOptions("p", name, false,
                    GenerateOptions.Variant.VECTOR)), CompiledModel.VECTOR_OPTIONS.toArray(new String[0])).load();
            m.predict(input, output);   // initializes the classes under the property
        } finally {
            if (previous == null) {
                System.clearProperty("striate.winograd");
            } else {
                System.setProperty("striate.winograd", previous);
            }
        }
        Random random = new Random(5);
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextFloat();
        }
        MethodHandle predict = MethodHandles.publicLookup().findVirtual(m.target().getClass(), "predict",
                MethodType.methodType(void.class, float[].class, float[].class)).bindTo(m.target());
        for (int c = 0; c < WARM_CALLS; c++) {
            predict.invokeExact(input, output);
        }
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int w = 0; w < WINDOWS && least > 0; w++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int c = 0; c < WINDOW; c++) {
                predict.invokeExact(input, output);
            }
            least = Math.min(least, bean.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(VECTOR && winograd, ranWinograd(m), "the Winograd layers ran exactly when forced on");
        assertEquals(0, least, name + ": bytes allocated by " + WINDOW + " steady-state calls, Winograd " + winograd
                + ", JDK " + Runtime.version().feature());
    }

    /** The model {@code source} (written to {@code dir} as {@code name.cnn}) with seeded weights, unoptimized. */
    static Graph seeded(Path dir, String name, String source) throws IOException {
        Path file = dir.resolve(name + ".cnn");
        Files.writeString(file, source, StandardCharsets.UTF_8);
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(file, null, diagnostics);
        diagnostics.throwIfErrors();
        Graph bound = BindWeights.run(graph, InitWeights.run(graph, 3), SourcePos.NONE, diagnostics);
        diagnostics.throwIfErrors();
        return bound;
    }

    /** Whether the instance's Winograd scratch was made (on the first Winograd layer's first call). */
    private static boolean ranWinograd(CompiledModel.Instance m) throws ReflectiveOperationException {
        Field simd = m.target().getClass().getDeclaredField("simd");
        simd.setAccessible(true);
        Object s = simd.get(m.target());
        if (s == null) {
            return false;
        }
        Field v = s.getClass().getDeclaredField("wgV");
        v.setAccessible(true);
        return ((float[]) v.get(s)).length > 0;
    }
}
