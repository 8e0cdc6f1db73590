package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activation;
import dev.striate.ir.Dense;
import dev.striate.ir.Graph;
import dev.striate.ir.Normalize;
import dev.striate.ir.Shape;
import dev.striate.testing.BytecodeSizes;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import dev.striate.testing.TestModels;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The ensemble class: its output is the weighted average of its members' outputs, computed here by running
 * the member classes separately (within 1e-6); classify, topK, predictBatch and the pixel path answer on that
 * average; the scalar and vector variants; the class compiles for Java 11 without warnings.
 */
class EnsembleClassTest {
    private static final int[] SEEDS = {11, 12, 13};

    /** The ensemble of three seeded MNIST CNNs, compiled with its members (the ensemble first). */
    private static CompiledModel ensemble(float[] weights, Normalize normalization, GenerateOptions.Variant variant) {
        List<GeneratedFile> members = new ArrayList<>();
        List<EnsembleClass.Member> specs = new ArrayList<>();
        Graph first = null;
        for (int i = 0; i < SEEDS.length; i++) {
            Graph g = TestModels.mnistCnn(SEEDS[i]).build().withPixelNormalization(normalization);
            first = first == null ? g : first;
            String name = "CommitteeMember" + (i + 1);
            members.addAll(JavaBackend.generate(g, new GenerateOptions("com.acme", name, false, variant)));
            specs.add(new EnsembleClass.Member(name, "seed " + SEEDS[i], weights[i]));
        }
        List<GeneratedFile> files = new ArrayList<>();
        files.add(EnsembleClass.generate("com.acme", "Committee", specs, first));
        files.addAll(members);
        return variant == GenerateOptions.Variant.VECTOR
                ? CompiledModel.compile(files, CompiledModel.VECTOR_OPTIONS.toArray(new String[0]))
                : CompiledModel.compile(files);
    }

    private static float[] memberPredict(CompiledModel m, int member, float[] x) throws Exception {
        Class<?> c = m.type().getClassLoader().loadClass("com.acme.CommitteeMember" + member);
        Object instance = c.getMethod("load").invoke(null);
        return (float[]) c.getMethod("predict", float[].class).invoke(instance, (Object) x);
    }

    private static void assertAverage(CompiledModel m, float[] weights) throws Exception {
        CompiledModel.Instance committee = m.load();
        for (int t = 0; t < 3; t++) {
            float[] x = TestModels.mnistCnn(100 + t).randomInput(784);
            double[] expected = new double[10];
            for (int i = 0; i < SEEDS.length; i++) {
                float[] y = memberPredict(m, i + 1, x);
                for (int k = 0; k < 10; k++) {
                    expected[k] += (double) weights[i] * y[k];
                }
            }
            float[] got = committee.predict(x);
            int best = 0;
            for (int k = 0; k < 10; k++) {
                assertEquals(expected[k], got[k], 1e-6, "class " + k);
                best = expected[k] > expected[best] ? k : best;
            }
            assertEquals(best, committee.classify(x), "classify ranks the average");
        }
    }

    @Test
    void equalWeightsAverageTheMembersProbabilities() throws Exception {
        float third = 1f / 3;
        CompiledModel m = ensemble(new float[] {third, third, third}, null, GenerateOptions.Variant.SCALAR);
        assertEquals(List.of(), m.warnings());
        assertAverage(m, new float[] {third, third, third});
        assertEquals(10, m.constant("CLASS_COUNT"));
        assertEquals(784, m.constant("INPUT_SIZE"));
        assertEquals("7", m.label(7));
        BytecodeSizes.methodSizes(m.classFiles()).forEach((method, bytes) ->
                assertTrue(bytes < BytecodeSizes.HUGE_METHOD_LIMIT, method + ": " + bytes + " bytes"));
    }

    @Test
    void theLargestEnsembleStaysWithinTheMethodLimits() throws Exception {
        List<GeneratedFile> members = new ArrayList<>();
        List<EnsembleClass.Member> specs = new ArrayList<>();
        Graph first = null;
        for (int i = 0; i < EnsembleClass.MAX_MEMBERS; i++) {
            GraphBuilder b = new GraphBuilder("Tiny", i);
            b.output(b.add("d", new Dense(2, true, Activation.SOFTMAX), b.input("x", Shape.of(3))));
            Graph g = b.build();
            first = first == null ? g : first;
            members.addAll(JavaBackend.generate(g, new GenerateOptions("", "BigMember" + (i + 1), true)));
            specs.add(new EnsembleClass.Member("BigMember" + (i + 1), "seed " + i, 1f / EnsembleClass.MAX_MEMBERS));
        }
        List<GeneratedFile> files = new ArrayList<>();
        files.add(EnsembleClass.generate("", "Big", specs, first));
        files.addAll(members);
        CompiledModel m = CompiledModel.compile(files);
        Map<String, Integer> sizes = BytecodeSizes.methodSizes(Map.of("Big", m.classFiles().get("Big")));
        assertTrue(sizes.keySet().stream().anyMatch(k -> k.contains("run")), sizes.toString());
        sizes.forEach((method, bytes) -> assertTrue(bytes < BytecodeSizes.HUGE_METHOD_LIMIT, method + ": " + bytes));
        float[] y = m.load().predict(new float[] {1f, 2f, 3f});
        assertEquals(1f, y[0] + y[1], 1e-5f, "an average of probabilities sums to one");
        specs.add(specs.get(0));
        Graph g = first;
        assertThrows(IllegalArgumentException.class, () -> EnsembleClass.generate("", "Big", specs, g));
    }

    @Test
    void givenWeightsGiveTheWeightedAverage() throws Exception {
        float[] w = {0.5f, 0.3f, 0.2f};
        assertAverage(ensemble(w, null, GenerateOptions.Variant.SCALAR), w);
    }

    @Test
    void theVectorVariantAveragesItsVectorMembers() throws Exception {
        float[] w = {0.6f, 0.2f, 0.2f};
        assertAverage(ensemble(w, null, GenerateOptions.Variant.VECTOR), w);
    }

    @Test
    void topKBatchAndApplyAnswerOnTheAverage() throws Exception {
        float third = 1f / 3;
        CompiledModel m = ensemble(new float[] {third, third, third}, null, GenerateOptions.Variant.SCALAR);
        CompiledModel.Instance committee = m.load();
        float[][] batch = new float[5][];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = TestModels.mnistCnn(200 + i).randomInput(784);
        }
        float[][] threaded = new float[5][10];
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            m.invoke(committee.target(), "predictBatch", new Class<?>[] {float[][].class, float[][].class,
                    Executor.class, int.class}, batch, threaded, pool, 3);
        } finally {
            pool.shutdown();
        }
        @SuppressWarnings("unchecked")
        UnaryOperator<float[]> op = (UnaryOperator<float[]>) committee.target();
        for (int i = 0; i < batch.length; i++) {
            float[] y = committee.predict(batch[i]);
            assertArrayEquals(y, threaded[i], "threaded batch, image " + i);
            assertArrayEquals(y, op.apply(batch[i]));
            @SuppressWarnings("unchecked")
            List<Map.Entry<String, Float>> top = (List<Map.Entry<String, Float>>) m.invoke(committee.target(), "topK",
                    new Class<?>[] {float[].class, int.class}, batch[i], 2);
            int best = committee.classify(batch[i]);
            assertEquals(Map.entry(String.valueOf(best), y[best]), top.get(0));
            assertTrue(top.get(1).getValue() <= y[best]);
        }
    }

    @Test
    void membersSharingANormalizationGiveThePixelPath() throws Exception {
        float third = 1f / 3;
        CompiledModel m = ensemble(new float[] {third, third, third},
                new Normalize(List.of(33f), List.of(78f)), GenerateOptions.Variant.SCALAR);
        Object committee = m.load().target();
        float[] pixels = new float[784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i * 37) % 256;
        }
        float[] normalized = (float[]) m.invoke(null, "normalizePixels", new Class<?>[] {float[].class}, pixels);
        assertArrayEquals(m.load().predict(normalized),
                (float[]) m.invoke(committee, "predictPixels", new Class<?>[] {float[].class}, pixels));
        Method classify = m.type().getMethod("classifyPixels", float[].class);
        assertEquals(m.load().classify(normalized), classify.invoke(committee, (Object) pixels));
        assertTrue(m.type().getMethod("topKPixels", float[].class, int.class) != null);
    }
}
