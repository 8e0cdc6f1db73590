package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.data.FloatImageDataset;
import dev.striate.data.ImageShape;
import dev.striate.weights.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    /**
     * A model whose single input value is the class it predicts: its inference pass outputs that
     * class's one-hot logits (and its training pass would output garbage, so the test sees which
     * one was used).
     */
    static final class Oracle implements TrainableModel {
        @Override
        public String name() {
            return "Oracle";
        }

        @Override
        public int inputSize() {
            return 1;
        }

        @Override
        public int outputSize() {
            return 3;
        }

        @Override
        public List<Tensor> parameters() {
            return List.of();
        }

        @Override
        public List<Tensor> buffers() {
            return List.of();
        }

        @Override
        public Worker newWorker(int maxBatch) {
            return new Worker() {
                @Override
                public void forward(float[] inputs, int n, float[] outputs, long seed) {
                    throw new AssertionError("evaluation must use the inference pass");
                }

                @Override
                public void infer(float[] inputs, int n, float[] outputs) {
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < 3; j++) {
                            outputs[i * 3 + j] = j == (int) inputs[i] ? 5f : 0f;
                        }
                    }
                }

                @Override
                public void backward(float[] dOutputs, int n) {
                    throw new AssertionError();
                }

                @Override
                public float[][] gradients() {
                    return new float[0][];
                }
            };
        }
    }

    // actual:     0 0 0 0 1 1 1 2 2 2
    // predicted:  0 0 0 1 1 1 2 2 0 2
    private static final int[] ACTUAL = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
    private static final float[] PREDICTED = {0, 0, 0, 1, 1, 1, 2, 2, 0, 2};

    private static FloatImageDataset data() {
        return new FloatImageDataset(new ImageShape(1, 1, 1), PREDICTED, ACTUAL, List.of("zero", "one", "two"));
    }

    @Test
    void countsTheConfusionMatrixOfAKnownCase() {
        for (int threads = 1; threads <= 2; threads++) {
            try (Evaluator evaluator = new Evaluator(new Oracle(), 3, threads)) {
                Evaluation e = evaluator.evaluate(data(), null, null);
                ConfusionMatrix m = e.matrix();
                long[][] expected = {{3, 1, 0}, {0, 2, 1}, {1, 0, 2}};
                for (int a = 0; a < 3; a++) {
                    for (int p = 0; p < 3; p++) {
                        assertEquals(expected[a][p], m.count(a, p), "actual " + a + ", predicted " + p);
                    }
                }
                assertEquals(10, m.total());
                assertEquals(0.7, e.accuracy(), 1e-12);
                assertEquals(0.75, m.classAccuracy(0), 1e-12);
                assertEquals(2.0 / 3, m.classAccuracy(1), 1e-12);
                assertEquals(2.0 / 3, m.classAccuracy(2), 1e-12);
                assertTrue(Double.isNaN(e.loss()));
            }
        }
    }

    @Test
    void averagesTheLossOverAllImages() {
        try (Evaluator evaluator = new Evaluator(new Oracle(), 4, 2)) {
            Evaluation e = evaluator.evaluate(data(), null, new TestCrossEntropy());
            double right = Math.log(1 + 2 * Math.exp(-5));
            double wrong = 5 + right;
            assertEquals((7 * right + 3 * wrong) / 10, e.loss(), 1e-6);
        }
    }

    @Test
    void printsAnAlignedReport() {
        try (Evaluator evaluator = new Evaluator(new Oracle(), 10, 1)) {
            String report = evaluator.evaluate(data(), null, null).report();
            String expected = """
                    accuracy 70.00% (7/10)

                    class  images  correct  accuracy
                    zero        4        3    75.00%
                    one         3        2    66.67%
                    two         3        2    66.67%

                    confusion matrix (rows: actual, columns: predicted)
                           zero   one   two
                    zero      3     1     0
                    one       0     2     1
                    two       1     0     2
                    """;
            assertEquals(expected, report);
        }
    }

    @Test
    void runsPredictorsOneImageAtATimeAndHandsOverTheirOutputsInOrder() {
        for (int threads = 1; threads <= 2; threads++) {
            java.util.concurrent.atomic.AtomicInteger instances = new java.util.concurrent.atomic.AtomicInteger();
            java.util.function.Supplier<Predictor> oracle = () -> {
                instances.incrementAndGet();
                return (input, output) -> {
                    assertEquals(1, input.length);
                    for (int j = 0; j < 3; j++) {
                        output[j] = j == (int) input[0] ? 5f : 0f;
                    }
                };
            };
            List<String> seen = new java.util.ArrayList<>();
            try (Evaluator evaluator = Evaluator.ofPredictors("Oracle", 1, 3, oracle, 4, threads)) {
                Evaluation e = evaluator.evaluate(data(), null, null, Targets.LABELS,
                        (index, label, outputs, offset, k) -> seen.add(index + ":" + label + ":"
                                + outputs[offset] + "," + outputs[offset + 1] + "," + outputs[offset + 2]));
                assertEquals(0.7, e.accuracy(), 1e-12);
            }
            assertEquals(threads, instances.get(), "one instance per slice");
            assertEquals(10, seen.size());
            for (int i = 0; i < 10; i++) {
                int p = (int) PREDICTED[i];
                assertEquals(i + ":" + ACTUAL[i] + ":" + (p == 0 ? 5f : 0f) + "," + (p == 1 ? 5f : 0f) + ","
                        + (p == 2 ? 5f : 0f), seen.get(i));
            }
        }
    }

    @Test
    void rejectsADataSetWithAnotherClassCount() {
        FloatImageDataset two = new FloatImageDataset(new ImageShape(1, 1, 1), new float[] {0}, new int[] {0},
                List.of("a", "b"));
        try (Evaluator evaluator = new Evaluator(new Oracle(), 4, 1)) {
            TrainingException e = assertThrows(TrainingException.class, () -> evaluator.evaluate(two, null, null));
            assertEquals("model Oracle has 3 outputs but the data set has 2 classes", e.getMessage());
        }
    }
}
