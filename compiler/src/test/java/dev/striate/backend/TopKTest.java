package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activation;
import dev.striate.ir.Dense;
import dev.striate.ir.Shape;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import dev.striate.testing.TestModels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@code topK(input, k)} of a generated class: the k best classes with their labels (or decimal indices
 * without labels) and the scores {@code predict} returns, best first, ties by lower class index; k outside
 * {@code 1..CLASS_COUNT} refused. Every class is a {@code UnaryOperator<float[]>} whose {@code apply} is
 * {@code predict}.
 */
class TopKTest {
    /** A dense layer of zero weights: the outputs are exactly the biases, whatever the input. */
    private static CompiledModel fixedScores(Activation activation, float[] scores, String... labels) {
        GraphBuilder b = new GraphBuilder("Fixed", 1);
        String x = b.input("x", Shape.of(3));
        x = b.add("d", new Dense(scores.length, true, activation), x);
        b.weight("d.weight", new float[3 * scores.length]).weight("d.bias", scores).labels(labels).output(x);
        return CompiledModel.compile(JavaBackend.generate(b.build(), new GenerateOptions("", "Fixed", false)));
    }

    @SuppressWarnings("unchecked")
    private static List<Map.Entry<String, Float>> topK(CompiledModel m, Object target, float[] input, int k) {
        return (List<Map.Entry<String, Float>>) m.invoke(target, "topK", new Class<?>[] {float[].class, int.class},
                input, k);
    }

    @Test
    void equalScoresKeepTheLowerClassFirst() {
        CompiledModel m = fixedScores(Activation.IDENTITY, new float[] {1f, 3f, 3f, -2f, 3f, 2f}, "a", "b", "c", "d", "e", "f");
        List<Map.Entry<String, Float>> top = topK(m, m.load().target(), new float[3], 5);
        assertEquals(List.of(Map.entry("b", 3f), Map.entry("c", 3f), Map.entry("e", 3f), Map.entry("f", 2f),
                Map.entry("a", 1f)), top);
        assertThrows(UnsupportedOperationException.class, () -> top.add(Map.entry("x", 0f)), "unmodifiable");
    }

    @Test
    void aNanScoreRanksLast() {
        CompiledModel m = fixedScores(Activation.IDENTITY, new float[] {Float.NaN, 1f, -3f, Float.NaN, 2f});
        List<String> order = topK(m, m.load().target(), new float[3], 5).stream().map(Map.Entry::getKey).toList();
        assertEquals(List.of("4", "1", "2", "0", "3"), order);
    }

    @Test
    void withoutLabelsTheLabelIsTheClassIndex() {
        CompiledModel m = fixedScores(Activation.IDENTITY, new float[] {0.5f, -1f, 7f});
        assertEquals(List.of(Map.entry("2", 7f), Map.entry("0", 0.5f), Map.entry("1", -1f)),
                topK(m, m.load().target(), new float[3], 3));
    }

    @Test
    void kOutsideOneToClassCountIsRefused() {
        CompiledModel m = fixedScores(Activation.IDENTITY, new float[] {1f, 2f, 3f});
        Object target = m.load().target();
        for (int k : new int[] {0, -1, 4}) {
            Exception e = assertThrows(IllegalArgumentException.class, () -> topK(m, target, new float[3], k));
            assertEquals("k must be between 1 and 3, got " + k, e.getMessage());
        }
        Exception e = assertThrows(IllegalArgumentException.class, () -> topK(m, target, new float[2], 1));
        assertEquals("input must have 3 floats, got 2", e.getMessage());
    }

    @Test
    void scoresAreWhatPredictReturnsRankedLikeASort() {
        assertRankedLikeASort(CompiledModel.compile(JavaBackend.generate(TestModels.mnistCnn(3).build(),
                new GenerateOptions("", "SeedCnn", false))));
    }

    @Test
    void theVectorVariantRanksItsOwnPredictions() {
        assertRankedLikeASort(CompiledModel.compile(JavaBackend.generate(TestModels.mnistCnn(3).build(),
                new GenerateOptions("", "SeedCnn", false, GenerateOptions.Variant.VECTOR)),
                CompiledModel.VECTOR_OPTIONS.toArray(new String[0])));
    }

    private static void assertRankedLikeASort(CompiledModel m) {
        CompiledModel.Instance instance = m.load();
        float[] x = TestModels.mnistCnn(3).randomInput(784);
        float[] p = instance.predict(x);
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        order.sort(Comparator.<Integer>comparingDouble(c -> -p[c]).thenComparingInt(c -> c));
        List<Map.Entry<String, Float>> top = topK(m, instance.target(), x, 10);
        for (int r = 0; r < 10; r++) {
            assertEquals(Map.entry(String.valueOf(order.get(r)), p[order.get(r)]), top.get(r), "rank " + r);
        }
        assertEquals(top.subList(0, 3), topK(m, instance.target(), x, 3));
        assertEquals(order.get(0), instance.classify(x), "classify agrees with the first of topK");
    }

    @Test
    void everyClassIsAUnaryOperatorWhoseApplyIsPredict() {
        CompiledModel m = fixedScores(Activation.SOFTMAX, new float[] {1f, 2f, 3f});
        Object target = m.load().target();
        assertTrue(target instanceof UnaryOperator);
        @SuppressWarnings("unchecked")
        UnaryOperator<float[]> op = (UnaryOperator<float[]>) target;
        float[] x = {1f, 2f, 3f};
        float[] viaApply = op.apply(x);
        assertArrayEquals(m.load().predict(x), viaApply);
        assertTrue(viaApply[2] > viaApply[0], "the softmax of the biases, not the input");
    }
}
