package dev.striate.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.striate.data.ByteImageDataset;
import dev.striate.data.ImageShape;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.passes.BindWeights;
import dev.striate.train.Loss;
import dev.striate.train.StopSignal;
import dev.striate.train.Targets;
import dev.striate.train.TrainableModel;
import dev.striate.train.Trainer;
import dev.striate.train.TrainingConfig;
import dev.striate.train.TrainingResult;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightSet;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Image-to-image training ({@code target = image(scale=1/255)}) through the whole path, from the
 * train block to the optimizer step, against PyTorch: one SGD step with lr 1 over one batch of 5
 * images (cut into 2 slices) moves every weight by minus PyTorch's gradient of the mean loss
 * (tools/reference/image_target_fixtures.py: a conv / transposed-conv autoencoder, per-pixel binary
 * cross-entropy with the final sigmoid fused, and MSE on the sigmoid's output).
 */
class ImageTargetGradTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"binary_crossentropy", "mse"})
    void oneStepMovesTheWeightsByPyTorchsGradient(String lossName) throws Exception {
        JsonNode fixture;
        try (InputStream in = getClass().getResourceAsStream("/image-targets/autoencoder.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        Path source = dir.resolve("ae.cnn");
        Files.writeString(source, fixture.get("model").asText() + "train Ae {\n    target = image(scale="
                + fixture.get("scale").asText() + ")\n    loss = " + lossName
                + "\n    optimizer = sgd(lr=1)\n    batch = 5\n    epochs = 1\n}\n");
        Diagnostics diagnostics = new Diagnostics();
        ModelRecipe recipe = ModelRecipe.load(source, null, diagnostics);
        TrainSettings settings = recipe.settings();
        recipe.checkTraining(settings);
        assertTrue(settings.imageTargets() != null, "the block trains image to image");
        assertEquals(Targets.IMAGES, TrainingSetup.targets(settings));

        List<Tensor> tensors = new ArrayList<>();
        for (String name : List.of("enc.weight", "enc.bias", "dec.weight", "dec.bias")) {
            int[] shape = ints(fixture.get("shapes").get(name));
            tensors.add(new Tensor(name, shape, floats(fixture.get("weights").get(name))));
        }
        Graph bound = BindWeights.run(recipe.graph(), WeightSet.of("Ae", tensors), SourcePos.NONE, diagnostics);
        diagnostics.throwIfErrors();
        Loss loss = TrainingSetup.loss(settings);
        TrainableModel model = TrainingRun.load(bound, loss);

        JsonNode pixels = fixture.get("pixels");
        byte[] bytes = new byte[pixels.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) pixels.get(i).asInt();
        }
        ByteImageDataset data = new ByteImageDataset(new ImageShape(1, 6, 6), bytes, new int[5],
                Collections.nCopies(36, "pixel"));
        float[][] before = model.parameters().stream().map(t -> t.data().clone()).toArray(float[][]::new);
        RunOptions run = new RunOptions(1, 2, null, null, false, null, TrainingConfig.ProgressMode.SUMMARY, null);
        TrainingConfig config = TrainingSetup.config(settings, null, run, new StopSignal(), SourcePos.NONE);
        TrainingResult result = new Trainer(model, loss, config).train(data);

        JsonNode expected = fixture.get("cases").get(lossName);
        assertEquals(expected.get("loss").asDouble(), result.history().get(0).trainLoss(), 1e-5,
                "mean loss of the batch");
        assertTrue(Double.isNaN(result.history().get(0).trainAccuracy()), "no accuracy for image targets");
        for (int p = 0; p < before.length; p++) {
            Tensor t = model.parameters().get(p);
            float[] grad = floats(expected.get("grads").get(t.name()));
            double max = 0;
            for (float g : grad) {
                max = Math.max(max, Math.abs(g));
            }
            assertTrue(max > 1e-4, t.name() + ": the fixture's gradient is not negligible");
            for (int i = 0; i < grad.length; i++) {
                double step = (double) before[p][i] - t.data()[i];
                assertEquals(grad[i], step, 2e-6 + 1e-4 * Math.abs(grad[i]), t.name() + "[" + i + "]");
            }
        }
    }

    private static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) array.get(i).asDouble();
        }
        return v;
    }

    private static int[] ints(JsonNode array) {
        int[] v = new int[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asInt();
        }
        return v;
    }
}
