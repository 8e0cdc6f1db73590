package dev.striate.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.optim.Adam;
import dev.striate.passes.BindWeights;
import dev.striate.train.Loss;
import dev.striate.train.TrainableModel;
import dev.striate.train.loss.MeanSquaredError;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightSet;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The denoising example (examples/autoencoder/mnist_denoising.cnn) trained with MSE on its final
 * sigmoid's output follows PyTorch step for step: 40 full-batch Adam(lr=1e-3) steps from noisy
 * inputs to clean targets, from weights drawn as {@code striate init} draws them (He / Glorot
 * uniform, zero biases; tools/reference/denoising_fixtures.py). The loss before every step, the
 * mean output and the final weights equal PyTorch's, so the collapse of the MSE run to a black
 * output (docs/training.md) is not a gradient, target or reduction bug; the same steps with the
 * noisy image as the target, or the target in 0..255, leave PyTorch's trajectory at once.
 */
class DenoisingReferenceTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "autoencoder", "mnist_denoising.cnn");
    private static final int SIZE = 28 * 28;

    @Test
    void adamOnMseFollowsPyTorchFromNoisyInputsToCleanTargets() throws Exception {
        JsonNode f = fixture();
        float[] clean = targets(pixels(f.get("clean")), 1 / 255.0);
        Trajectory run = train(f, clean, new MeanSquaredError(), f.get("steps").asInt());
        JsonNode losses = f.get("losses");
        JsonNode means = f.get("mean_outputs");
        for (int s = 0; s < losses.size(); s++) {
            assertEquals(losses.get(s).asDouble(), run.losses[s], 2e-6, "loss before step " + (s + 1));
            assertEquals(means.get(s).asDouble(), run.means[s], 2e-6, "mean output before step " + (s + 1));
        }
        assertTrue(losses.get(losses.size() - 1).asDouble() < losses.get(0).asDouble() - 0.1,
                "the fixture's loss moves: the comparison is not between two idle runs");
        double worst = 0;
        for (Tensor t : run.model.parameters()) {
            float[] expected = floats(f.get("final").get(t.name()).asText());
            float[] start = floats(f.get("weights").get(t.name()).asText());
            double moved = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - t.data()[i]));
                moved = Math.max(moved, Math.abs(expected[i] - start[i]));
                assertEquals(expected[i], t.data()[i], 2e-5, t.name() + "[" + i + "]");
            }
            assertTrue(moved > 0.01, t.name() + " moved in PyTorch's run (" + moved + ")");
        }
        assertTrue(worst < 2e-5, "largest weight difference " + worst);
    }

    @Test
    void aWrongTargetLeavesPyTorchsTrajectory() throws Exception {
        JsonNode f = fixture();
        double first = f.get("losses").get(0).asDouble();
        MeanSquaredError mse = new MeanSquaredError();
        Trajectory noisyTarget = train(f, targets(pixels(f.get("noisy")), 1 / 255.0), mse, 1);
        assertTrue(Math.abs(noisyTarget.losses[0] - first) > 0.01,
                "the noisy image as target: " + noisyTarget.losses[0] + " vs " + first);
        Trajectory unscaled = train(f, targets(pixels(f.get("clean")), 1), mse, 1);
        assertTrue(unscaled.losses[0] > 100 * first, "targets in 0..255: " + unscaled.losses[0]);
    }

    /**
     * Why the example trains with binary cross-entropy: from these zero-bias weights, 200 steps of
     * MSE on the sigmoid's output drive every pixel to black (the loss ends at the all-black
     * output's, the strokes' mean output near 0: the sigmoid saturates and MSE's gradient carries
     * its vanishing derivative), as PyTorch does from the same start (0.0870 against 0.0869, stroke
     * mean 0.000); the example's own loss, read from its train block, learns the strokes (PyTorch:
     * stroke mean 0.80 after 200 steps).
     */
    @Test
    void fromZeroBiasesMseGoesBlackAndTheExamplesLossLearnsTheStrokes() throws Exception {
        JsonNode f = fixture();
        float[] clean = targets(pixels(f.get("clean")), 1 / 255.0);
        double black = f.get("black_loss").asDouble();
        Trajectory mse = train(f, clean, new MeanSquaredError(), 200);
        assertEquals(black, mse.losses[199], 1e-3, "MSE ends at the all-black output's loss");
        assertTrue(mse.strokes[199] < 0.01, "MSE: mean output on the strokes " + mse.strokes[199]);

        Diagnostics diagnostics = new Diagnostics();
        ModelRecipe recipe = ModelRecipe.load(EXAMPLE, null, diagnostics);
        Loss own = TrainingSetup.loss(recipe.settings());
        Trajectory learned = train(f, clean, own, 200);
        assertTrue(learned.strokes[199] > 0.6, "the example's loss: mean output on the strokes " + learned.strokes[199]);
        assertTrue(learned.background[199] < 0.1, "background " + learned.background[199]);
    }

    private record Trajectory(TrainableModel model, double[] losses, double[] means, double[] strokes,
            double[] background) {
    }

    /**
     * {@code steps} full-batch Adam steps of {@code loss} on the example's network from the fixture's
     * weights, inputs the noisy images, targets {@code target}; the mean outputs (after the final
     * sigmoid, which a fusing loss leaves to itself) overall and on the clean strokes (pixel >= 128)
     * and background (pixel 0) before every step.
     */
    private static Trajectory train(JsonNode f, float[] target, Loss loss, int steps) throws Exception {
        Diagnostics diagnostics = new Diagnostics();
        ModelRecipe recipe = ModelRecipe.load(EXAMPLE, null, diagnostics);
        diagnostics.throwIfErrors();
        List<Tensor> tensors = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> shapes = f.get("shapes").fields();
        while (shapes.hasNext()) {
            Map.Entry<String, JsonNode> e = shapes.next();
            int[] shape = new int[e.getValue().size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.getValue().get(i).asInt();
            }
            tensors.add(new Tensor(e.getKey(), shape, floats(f.get("weights").get(e.getKey()).asText())));
        }
        Graph bound = BindWeights.run(recipe.graph(), WeightSet.of(recipe.graph().name(), tensors), SourcePos.NONE,
                diagnostics);
        diagnostics.throwIfErrors();
        TrainableModel model = TrainingRun.load(bound, loss);
        assertEquals(tensors.size(), model.parameters().size(), "the fixture sets every parameter");

        int n = f.get("batch").asInt();
        byte[] cleanPixels = pixels(f.get("clean"));
        boolean logits = !(loss instanceof MeanSquaredError);
        byte[] noisyPixels = pixels(f.get("noisy"));
        float[] inputs = new float[n * SIZE];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = noisyPixels[i] & 0xFF;
        }
        float[][] params = model.parameters().stream().map(Tensor::data).toArray(float[][]::new);
        Adam adam = Adam.builder().lr(f.get("lr").asDouble()).build();
        TrainableModel.Worker worker = model.newWorker(n);
        float[] outputs = new float[n * SIZE];
        float[] dOutputs = new float[n * SIZE];
        double[] losses = new double[steps];
        double[] means = new double[steps];
        double[] strokes = new double[steps];
        double[] background = new double[steps];
        for (int s = 0; s < steps; s++) {
            worker.forward(inputs, n, outputs, 0L);
            losses[s] = loss.forwardBackward(outputs, null, target, n, SIZE, dOutputs);
            double[] sums = new double[3];
            int[] counts = new int[3];
            for (int i = 0; i < outputs.length; i++) {
                double y = logits ? 1 / (1 + Math.exp(-outputs[i])) : outputs[i];
                int pixel = cleanPixels[i] & 0xFF;
                int group = pixel >= 128 ? 1 : pixel == 0 ? 2 : 0;
                sums[group] += y;
                counts[group]++;
            }
            means[s] = (sums[0] + sums[1] + sums[2]) / outputs.length;
            strokes[s] = sums[1] / counts[1];
            background[s] = sums[2] / counts[2];
            worker.backward(dOutputs, n);
            adam.step(params, worker.gradients());
        }
        return new Trajectory(model, losses, means, strokes, background);
    }

    private static JsonNode fixture() throws Exception {
        try (InputStream in = DenoisingReferenceTest.class.getResourceAsStream("/image-targets/denoising.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** The targets {@code striate train} builds for {@code target = image(scale)}: pixel times (float) scale. */
    private static float[] targets(byte[] pixels, double scale) {
        float s = (float) scale;
        float[] t = new float[pixels.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = (pixels[i] & 0xFF) * s;
        }
        return t;
    }

    private static byte[] pixels(JsonNode base64) {
        return Base64.getDecoder().decode(base64.asText());
    }

    private static float[] floats(String base64) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }
}
