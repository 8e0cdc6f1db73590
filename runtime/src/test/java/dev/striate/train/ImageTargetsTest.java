package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.data.Batch;
import dev.striate.data.FloatImageDataset;
import dev.striate.data.MiniBatches;
import dev.striate.train.loss.MeanSquaredError;
import org.junit.jupiter.api.Test;

/** Image targets ({@link Targets#IMAGES}): the targets and noise, the step's gradient, evaluation. */
class ImageTargetsTest {
    private static final ImageTargets NOISY = new ImageTargets(0.5, 0.3, -1, 1.5);

    @Test
    void targetsAreTheScaledCleanImagesAndNoiseDependsOnTheImageNotItsPlace() {
        float[] images = new float[3 * 4];
        for (int i = 0; i < images.length; i++) {
            images[i] = i * 0.1f;
        }
        float[] a = images.clone();
        float[] dense = new float[12];
        NOISY.prepare(a, dense, 3, 4, 7, 2, new int[] {9, 4, 6}, 0);
        for (int i = 0; i < 12; i++) {
            assertEquals(images[i] * 0.5f, dense[i], "target " + i);
            assertTrue(a[i] >= -1 && a[i] <= 1.5f, "clamped");
        }
        assertNotEquals(images[0], a[0]);
        // image 4 alone, as the first of another batch: the same noise
        float[] b = new float[4];
        System.arraycopy(images, 4, b, 0, 4);
        NOISY.prepare(b, new float[4], 1, 4, 7, 2, new int[] {4}, 0);
        assertArrayEquals(java.util.Arrays.copyOfRange(a, 4, 8), b);
        // another epoch or seed: other noise
        float[] c = java.util.Arrays.copyOfRange(images, 4, 8);
        NOISY.prepare(c, new float[4], 1, 4, 7, 3, new int[] {4}, 0);
        assertNotEquals(b[0], c[0]);
        // no noise: inputs untouched
        float[] d = images.clone();
        ImageTargets.of(2).prepare(d, dense, 3, 4, 7, 2, new int[] {0, 1, 2}, 0);
        assertArrayEquals(images, d);
        assertEquals(images[5] * 2f, dense[5]);
    }

    @Test
    void prepareEvaluationGivesTheInputsTheEvaluatorGivesTheModel() {
        FloatImageDataset data = Blobs.of(10, 2, 5);
        int size = data.shape().size();
        float[][] seen = new float[data.size()][];
        // an identity predictor: the evaluator's outputs are the inputs it gave the model
        try (Evaluator e = Evaluator.ofPredictors("same", size, size, () -> (in, out) -> System.arraycopy(in, 0, out,
                0, size), 4, 2)) {
            e.evaluate(data, null, new MeanSquaredError(), Targets.IMAGES, (index, label, outputs, offset, k) ->
                    seen[index] = java.util.Arrays.copyOfRange(outputs, offset, offset + k), NOISY, 11);
        }
        int[] indices = {7, 2, 9};
        float[] inputs = new float[3 * size];
        for (int i = 0; i < 3; i++) {
            data.copyImage(indices[i], inputs, i * size);
        }
        float[] clean = inputs.clone();
        float[] targets = new float[3 * size];
        NOISY.prepareEvaluation(inputs, targets, 3, size, 11, indices, 0);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(seen[indices[i]], java.util.Arrays.copyOfRange(inputs, i * size, (i + 1) * size),
                    "image " + indices[i]);
            assertNotEquals(clean[i * size], inputs[i * size]);
            assertEquals(clean[i * size] * 0.5f, targets[i * size]);
        }
        assertThrows(IllegalArgumentException.class, () -> NOISY.prepareEvaluation(new float[size], new float[size],
                2, size, 11, indices, 0));
    }

    @Test
    void noiseHasTheRequestedSpread() {
        int n = 20_000;
        float[] x = new float[n];
        new ImageTargets(1, 0.3, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)
                .prepare(x, new float[n], 1, n, 1, 0, new int[] {0}, 0);
        double sum = 0;
        double sq = 0;
        for (float v : x) {
            sum += v;
            sq += v * v;
        }
        assertEquals(0, sum / n, 0.01);
        assertEquals(0.3, Math.sqrt(sq / n), 0.01);
    }

    @Test
    void refusesUnusableValues() {
        assertThrows(IllegalArgumentException.class, () -> ImageTargets.of(0));
        assertThrows(IllegalArgumentException.class, () -> ImageTargets.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ImageTargets.of(1e300));
        assertThrows(IllegalArgumentException.class, () -> new ImageTargets(1, -1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ImageTargets(1, 1e300, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ImageTargets(1, 0.1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ImageTargets(1, 0.1, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().optimizer(() -> null)
                .targets(Targets.IMAGES).build());
    }

    /** The step's gradient is the central difference of the MSE between the output and the clean input (noisy input in). */
    @Test
    void theStepsGradientIsTheFiniteDifferenceOfTheReconstructionLoss() {
        FloatImageDataset data = Blobs.of(6, 2, 3);
        MiniBatches batches = MiniBatches.builder(data, 6).seed(1).build();
        Batch batch = batches.batch(0, 0);
        Mlp model = new Mlp(8, 5, 8, 0, 4);
        float[][] grads;
        try (WorkerPool pool = new WorkerPool(model, 6, 1, 2)) {
            TrainStep step = new TrainStep(pool, new MeanSquaredError(), Targets.IMAGES, NOISY, 11);
            step.run(batch, 0, 1);
            grads = step.gradients();
        }
        float[] inputs = batch.images().clone();
        float[] targets = new float[inputs.length];
        NOISY.prepare(inputs, targets, 6, 8, 11, 1, batch.datasetIndices(), 0);
        TrainableModel.Worker w = model.newWorker(6);
        for (int p = 0; p < grads.length; p++) {
            float[] param = model.parameters().get(p).data();
            for (int i = 0; i < param.length; i += 3) {
                float keep = param[i];
                float h = 1e-2f;
                param[i] = keep + h;
                double up = mse(w, inputs, targets);
                param[i] = keep - h;
                double down = mse(w, inputs, targets);
                param[i] = keep;
                double fd = (up - down) / (2 * h);
                assertEquals(fd, grads[p][i], 1e-3 * Math.abs(fd) + 2e-4, "parameter " + p + "[" + i + "]");
            }
        }
    }

    private static double mse(TrainableModel.Worker w, float[] inputs, float[] targets) {
        float[] out = new float[targets.length];
        w.infer(inputs, 6, out);
        double s = 0;
        for (int i = 0; i < out.length; i++) {
            double d = (double) out[i] - targets[i];
            s += d * d;
        }
        return s / out.length;
    }

    @Test
    void slicesDoNotChangeTheNoisyStepAndEvaluationReportsTheLossOnly() {
        FloatImageDataset data = Blobs.of(10, 2, 5);
        Batch batch = MiniBatches.builder(data, 10).seed(2).build().batch(0, 0);
        Mlp model = new Mlp(8, 6, 8, 0, 3);
        float[][] whole;
        double wholeLoss;
        try (WorkerPool pool = new WorkerPool(model, 10, 1, 1)) {
            TrainStep step = new TrainStep(pool, new MeanSquaredError(), Targets.IMAGES, NOISY, 5);
            TrainStep.Result r = step.run(batch, 0, 0);
            assertEquals(0, r.correct());
            wholeLoss = r.loss();
            whole = step.gradients();
        }
        try (WorkerPool pool = new WorkerPool(model, 10, 2, 3)) {
            TrainStep step = new TrainStep(pool, new MeanSquaredError(), Targets.IMAGES, NOISY, 5);
            assertEquals(wholeLoss, step.run(batch, 0, 0).loss(), 1e-6);
            for (int p = 0; p < whole.length; p++) {
                assertArrayEquals(whole[p], step.gradients()[p], 1e-6f, "parameter " + p);
            }
        }
        try (Evaluator e = new Evaluator(model, 4, 2)) {
            Evaluation clean = e.evaluate(data, null, new MeanSquaredError(), Targets.IMAGES, null,
                    ImageTargets.of(1), 0);
            float[] out = new float[data.size() * 8];
            float[] in = new float[data.size() * 8];
            for (int i = 0; i < data.size(); i++) {
                data.copyImage(i, in, i * 8);
            }
            model.newWorker(data.size()).infer(in, data.size(), out);
            double s = 0;
            for (int i = 0; i < out.length; i++) {
                s += ((double) out[i] - in[i]) * ((double) out[i] - in[i]);
            }
            assertEquals(s / out.length, clean.loss(), 1e-6);
            assertEquals(0, clean.matrix().total());
            assertTrue(clean.report().startsWith("loss "), clean.report());
        }
        Mlp classifier = new Mlp(8, 6, 2, 0, 3);
        try (Evaluator e = new Evaluator(classifier, 4, 1)) {
            TrainingException ex = assertThrows(TrainingException.class, () -> e.evaluate(data, null,
                    new MeanSquaredError(), Targets.IMAGES, null, ImageTargets.of(1), 0));
            assertTrue(ex.getMessage().contains("image targets need one per input value"), ex.getMessage());
        }
    }
}
