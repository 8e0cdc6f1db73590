package dev.striate.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.data.Normalization;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.Frontend;
import dev.striate.train.ImageTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train block's {@code target} and {@code noise} settings, and every mistake at its position. */
class ImageTargetSettingsTest {
    private static final String MODEL = "model M {\n    input x: [1, 4, 4]\n    flatten\n    dense(2, activation=softmax)\n}\n";

    @TempDir
    Path dir;

    private static TrainSettings read(String body) {
        return TrainBlockReader.read(Frontend.parse(MODEL + "\ntrain M {\n" + body + "\n}\n", "m.cnn").train("M")
                .orElseThrow());
    }

    private static List<String> errors(String body) {
        CompileException e = assertThrows(CompileException.class, () -> read(body));
        return e.diagnostics().stream().map(Diagnostic::format).toList();
    }

    @Test
    void readsTargetsAndNoise() {
        assertNull(read("loss = mse").imageTargets());
        assertNull(read("target = classes").imageTargets());
        assertEquals(ImageTargets.of(1), read("target = image").imageTargets());
        ImageTargets t = read("target = image(scale=1/255)\nnoise = gaussian(std=64, min=0, max=255)").imageTargets();
        assertEquals(1.0 / 255, t.scale(), 1e-15);
        assertEquals(64, t.noiseStd());
        assertEquals(0, t.noiseMin());
        assertEquals(255, t.noiseMax());
        ImageTargets open = read("target = image(0.5)\nnoise = gaussian(0.1)").imageTargets();
        assertEquals(Double.NEGATIVE_INFINITY, open.noiseMin());
        assertEquals(Double.POSITIVE_INFINITY, open.noiseMax());
        assertEquals(ImageTargets.of(2), read("target = image(2)\nnoise = none").imageTargets());
    }

    @Test
    void hostileSettingsGiveErrorsAtTheirPositions() {
        assertEquals(List.of("m.cnn:8:10: error: unknown target 'imag'; did you mean 'image'? (targets: classes, image, "
                + "image(scale)) [E516]"), errors("target = imag"));
        assertError("target = image(scale=0)", "m.cnn:8:22", "E516");
        assertError("target = image(scale=1e39)", "m.cnn:8:22", "E516");
        assertError("target = image(scale=-1e-50)", "m.cnn:8:22", "E516");
        assertError("target = image(scale=1, depth=2)", "m.cnn:8:", "E");
        assertError("noise = gaussian(std=0.1)", "m.cnn:8:9", "E517");
        assertError("target = image\nnoise = salt(3)", "m.cnn:9:9", "E517");
        assertError("target = image\nnoise = gaussian(std=-1)", "m.cnn:9:22", "E517");
        assertError("target = image\nnoise = gaussian(std=1e39)", "m.cnn:9:22", "E517");
        assertError("target = image\nnoise = gaussian(std=1, min=2, max=1)", "m.cnn:9:36", "E517");
        assertError("target = image\nnoise = gaussian(min=0)", "m.cnn:9:9", "E");
        assertError("target = image\ntarget = classes", "m.cnn:9:1", "E");
        List<String> both = errors("target = picture\nnoise = gaussian(std=-1)\nloss = mse");
        assertEquals(2, both.size(), both.toString());
    }

    private static void assertError(String body, String at, String code) {
        List<String> e = errors(body);
        assertTrue(e.stream().anyMatch(m -> m.startsWith(at) && m.contains("[" + code)), body + " gave " + e);
    }

    private ModelRecipe recipe(String model, String body) throws Exception {
        Path file = dir.resolve("m.cnn");
        Files.writeString(file, model + "\ntrain M {\n" + body + "\n}\n");
        return ModelRecipe.load(file, null, new Diagnostics());
    }

    @Test
    void theModelMustOutputAnImageAndTheLossCompareValues() throws Exception {
        ModelRecipe classifier = recipe(MODEL, "loss = mse\ntarget = image");
        CompileException e = assertThrows(CompileException.class, () -> classifier.checkTraining(classifier.settings()));
        String m = e.diagnostics().get(0).format();
        assertTrue(m.contains("m.cnn:9:10") && m.contains("[E514]") && m.contains("[2]"), m);

        String ae = "model M {\n    input x: [1, 4, 4]\n    conv2d(1, kernel=3, padding=1)\n}\n";
        ModelRecipe ok = recipe(ae, "loss = mse\ntarget = image");
        ok.checkTraining(ok.settings());
        ModelRecipe ce = recipe(ae, "loss = crossentropy\ntarget = image");
        e = assertThrows(CompileException.class, () -> ce.checkTraining(ce.settings()));
        m = e.diagnostics().get(0).format();
        assertTrue(m.contains("[E515]") && m.contains(":8:10"), m);
    }

    @Test
    void binaryCrossEntropyNeedsTargetsInZeroToOne() {
        SourcePos pos = new SourcePos("m.cnn", 9, 10);
        CompileException e = assertThrows(CompileException.class, () -> TrainChecks.checkTargetRange(
                ImageTargets.of(1), "binary_crossentropy", null, pos));
        String m = e.diagnostics().get(0).format();
        assertTrue(m.startsWith("m.cnn:9:10") && m.contains("[E515]") && m.contains("255"), m);
        TrainChecks.checkTargetRange(ImageTargets.of(1.0 / 255), "binary_crossentropy", null, pos);
        TrainChecks.checkTargetRange(ImageTargets.of(1), "mse", null, pos);
        TrainChecks.checkTargetRange(ImageTargets.of(1), "bce", Normalization.of(new double[] {0}, new double[] {255}),
                pos);
        assertThrows(CompileException.class, () -> TrainChecks.checkTargetRange(ImageTargets.of(1), "bce",
                Normalization.of(new double[] {127.5}, new double[] {127.5}), pos));
    }
}
