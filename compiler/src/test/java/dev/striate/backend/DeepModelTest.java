package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.striate.backend.train.TrainerBackend;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.ir.Activation;
import dev.striate.ir.Dense;
import dev.striate.ir.Graph;
import dev.striate.ir.Shape;
import dev.striate.testing.BytecodeSizes;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import dev.striate.testing.ReferenceInterpreter;
import dev.striate.testing.TestModels;
import dev.striate.testing.Tolerance;
import dev.striate.train.TrainableModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Very deep models: the forward pass is split into chunk methods so that every generated method
 * stays under HotSpot's 8,000-byte limit (and javac's 64 KB) at any depth, the split keeps the
 * layer order, and shallow models keep their single {@code run}.
 */
class DeepModelTest {

    /**
     * A chain of {@code layers} dense(4) layers whose weights rotate the four units and whose
     * biases are small multiples of 1/1024, so float and double arithmetic agree exactly: a
     * skipped, repeated or reordered layer changes the output. Every 7th layer is linear, the
     * others relu; the last one is a softmax.
     */
    static GraphBuilder chain(int layers) {
        GraphBuilder b = new GraphBuilder("Deep" + layers, layers);
        Random random = new Random(layers);
        String x = b.input(Shape.of(4));
        for (int i = 0; i < layers; i++) {
            Activation a = i == layers - 1 ? Activation.SOFTMAX : i % 7 == 0 ? Activation.IDENTITY : Activation.RELU;
            String name = "d" + i;
            x = b.add(name, new Dense(4, true, a), x);
            float[] w = new float[16];
            for (int r = 0; r < 4; r++) {
                w[r * 4 + (r + 1 + i % 3) % 4] = 1;
            }
            float[] bias = new float[4];
            for (int r = 0; r < 4; r++) {
                bias[r] = (random.nextInt(9) - 3) / 1024f;
            }
            b.weight(name + ".weight", w).weight(name + ".bias", bias);
        }
        return b.output(x);
    }

    @ParameterizedTest(name = "{0} layers")
    @ValueSource(ints = {1000, 5000})
    void deepChainsCompileWithSmallMethodsAndMatchTheReference(int layers) {
        GraphBuilder builder = chain(layers);
        Graph graph = builder.build();
        List<GeneratedFile> files = JavaBackend.generate(graph, new GenerateOptions("t.deep", "Deep", false));
        CompiledModel m = CompiledModel.compile(files);
        Map<String, Integer> sizes = BytecodeSizes.methodSizes(m.classFiles());
        assertTrue(sizes.keySet().stream().anyMatch(k -> k.contains(".run0(")), "the forward pass is split");
        sizes.forEach((method, bytes) -> assertTrue(bytes < BytecodeSizes.HUGE_METHOD_LIMIT,
                method + " has " + bytes + " bytes of bytecode"));
        BytecodeSizes.constantPoolCounts(m.classFiles()).forEach((cls, count) ->
                assertTrue(count < 65_535, cls + " has " + count + " constant-pool entries"));
        CompiledModel.Instance instance = m.load();
        for (int i = 0; i < 3; i++) {
            float[] x = builder.randomInput(4);
            Tolerance.assertClose(ReferenceInterpreter.run(graph, x), instance.predict(x), layers + " layers");
        }
    }

    /**
     * The trainer of a deep chain (compiled in memory by {@code striate train}) keeps every method
     * small too, and its passes are right: the chain is affine here (no activations), so with
     * {@code dLoss/dOutput = 1} every bias gradient is 1 and the gradient of weight {@code [r][c]}
     * is the layer's input {@code c}.
     */
    @Test
    void deepTrainersStaySmallAndComputeTheirGradients() {
        int layers = 1000;
        GraphBuilder builder = new GraphBuilder("DeepLinear", 7);
        String x = builder.input(Shape.of(4));
        for (int i = 0; i < layers; i++) {
            x = builder.add("d" + i, new Dense(4, true, Activation.IDENTITY), x);
            float[] w = new float[16];
            for (int r = 0; r < 4; r++) {
                w[r * 4 + (r + 1 + i % 3) % 4] = 1;
            }
            builder.weight("d" + i + ".weight", w).weight("d" + i + ".bias", i % 4 / 1024f, 0, -i % 3 / 1024f, 0);
        }
        Graph graph = builder.build(x);
        CompiledModel compiled = CompiledModel.compile(TrainerBackend.generate(graph, "gen", "DeepTrainer"));
        Map<String, Integer> sizes = BytecodeSizes.methodSizes(compiled.classFiles());
        sizes.forEach((m, size) -> assertTrue(size < BytecodeSizes.HUGE_METHOD_LIMIT, m + " has " + size + " bytes"));
        assertTrue(sizes.keySet().stream().anyMatch(k -> k.contains(".forwardSteps0(")), sizes.keySet().toString());

        TrainableModel model = TrainerBackend.load(graph);
        TrainableModel.Worker worker = model.newWorker(1);
        float[] in = builder.randomInput(4);
        float[] out = new float[4];
        worker.forward(in, 1, out, 0);
        Map<String, double[]> ref = new ReferenceInterpreter(graph).runAll(in);
        Tolerance.assertClose(ref.get("d" + (layers - 1)), out, "forward");
        worker.backward(new float[] {1, 1, 1, 1}, 1);
        float[][] gradients = worker.gradients();
        int checked = 0;
        for (int i = 0; i < layers; i += 97) {
            double[] input = ref.get(i == 0 ? "x" : "d" + (i - 1));
            for (int k = 0; k < model.parameters().size(); k++) {
                String name = model.parameters().get(k).name();
                if (name.equals("d" + i + ".bias")) {
                    assertArrayEquals(new float[] {1, 1, 1, 1}, gradients[k], name);
                    checked++;
                } else if (name.equals("d" + i + ".weight")) {
                    double[] expected = new double[16];
                    for (int r = 0; r < 4; r++) {
                        for (int c = 0; c < 4; c++) {
                            expected[r * 4 + c] = input[c];
                        }
                    }
                    Tolerance.assertClose(expected, gradients[k], name);
                    checked++;
                }
            }
        }
        assertEquals(2 * 11, checked, "weights and biases of 11 layers");
    }

    /** One layer more than {@link JavaBackend#MAX_LAYERS} is refused where it is, before any code is written. */
    @Test
    void moreLayersThanAClassCanHoldAreRefusedAtTheFirstOneTooMany() {
        Graph graph = chain(JavaBackend.MAX_LAYERS + 1).build();
        CompileException e = assertThrows(CompileException.class,
                () -> JavaBackend.generate(graph, new GenerateOptions("t.deep", "Deep", false)));
        Diagnostic d = e.diagnostics().get(0);
        assertEquals(ErrorCode.TOO_MANY_LAYERS, d.code());
        assertEquals(graph.node("d" + JavaBackend.MAX_LAYERS).pos(), d.pos());
        assertTrue(d.message().contains("5001 layers"), d.message());
    }

    @Test
    void generationIsDeterministicForDeepModels() {
        Graph graph = chain(1200).build();
        GenerateOptions options = new GenerateOptions("t.deep", "Deep", false);
        List<GeneratedFile> a = JavaBackend.generate(graph, options);
        List<GeneratedFile> b = JavaBackend.generate(chain(1200).build(), options);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).content(), b.get(i).content(), a.get(i).relativePath());
        }
    }

    @Test
    void shallowModelsKeepOneRunMethod() {
        for (GraphBuilder model : List.of(TestModels.mnistCnn(1), TestModels.tinyResNet(3), chain(200))) {
            String source = new String(JavaBackend.generate(model.build(), new GenerateOptions("t", "Shallow", false))
                    .get(0).content(), StandardCharsets.UTF_8);
            assertTrue(source.contains("private void run(float[] input, float[] output, boolean probabilities)"));
            assertFalse(source.contains("run0("), "no chunks for " + model.build().name());
        }
    }

    @Test
    void chunksCallEveryLayerOnceInOrder() {
        String source = new String(JavaBackend.generate(chain(3000).build(), new GenerateOptions("t", "Deep", false))
                .get(0).content(), StandardCharsets.UTF_8);
        Map<String, String> bodies = methodBodies(source);
        List<String> calls = new ArrayList<>();
        expand("run", bodies, calls);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            expected.add("d" + i);
        }
        expected.add("softmax_d2999");
        assertEquals(expected, calls);
    }

    @Test
    void veryDeepModelsGetAFewLevelsOfBoundedChunks() {
        List<RunMethods.Step> steps = new ArrayList<>();
        for (int i = 0; i < 400_000; i++) {
            steps.add(new RunMethods.Step(CodeBlock.builder().addStatement("layer$L(w, buf0, buf1)", i).build(), 17,
                    true));
        }
        List<MethodSpec> methods = RunMethods.build(steps);
        assertEquals("run", methods.get(0).name());
        assertTrue(methods.stream().anyMatch(m -> m.name().startsWith("runGroup2_")), "a second level");
        for (MethodSpec m : methods) {
            long bytes = m.code().toString().lines().filter(l -> l.endsWith(";"))
                    .mapToLong(l -> l.contains("(input, output, probabilities)") ? 7 : l.contains("weights") ? 0 : 17)
                    .sum();
            assertTrue(bytes <= RunMethods.CHUNK_BYTES, m.name() + " has about " + bytes + " bytes");
        }
        Map<String, String> bodies = new HashMap<>();
        methods.forEach(m -> bodies.put(m.name(), m.code().toString()));
        List<String> calls = new ArrayList<>();
        expand("run", bodies, calls);
        assertEquals(400_000, calls.size());
        for (int i = 0; i < calls.size(); i++) {
            assertEquals("layer" + i, calls.get(i));
        }
    }

    private static final Pattern CALL = Pattern.compile("^\\s*(\\w+)\\(", Pattern.MULTILINE);

    /** The layer calls reached from {@code method}, following calls to chunk methods. */
    private static void expand(String method, Map<String, String> bodies, List<String> calls) {
        Matcher m = CALL.matcher(bodies.get(method));
        while (m.find()) {
            String callee = m.group(1);
            if (callee.matches("run[0-9]+|runGroup.*")) {
                expand(callee, bodies, calls);
            } else if (!callee.equals("if")) {
                calls.add(callee);
            }
        }
    }

    /** The bodies of the {@code private void run*} methods of a generated source. */
    private static Map<String, String> methodBodies(String source) {
        Map<String, String> bodies = new HashMap<>();
        Matcher m = Pattern.compile("private void (run\\w*)\\([^)]*\\) \\{\\n(.*?)\\n    }", Pattern.DOTALL)
                .matcher(source);
        while (m.find()) {
            bodies.put(m.group(1), m.group(2));
        }
        return bodies;
    }
}
