package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.train.TrainableModel;
import dev.striate.weights.WeightsFile;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code striate compile --trainer}: the trainer written beside the classifier compiles with javac
 * against the runtime and, given the classifier's weights, computes the classifier's outputs: its
 * logits through a softmax for {@code crossentropy} (the default), the probabilities themselves for
 * {@code mse}. A loss it does not know and an ensemble are refused, with nothing written.
 */
class CompileTrainerTest {
    private static final String MODEL = Cli.example("mnist/seed_cnn.cnn");

    @Test
    void theTrainerComputesTheClassifiersOutputs(@TempDir Path dir) throws Exception {
        for (String loss : new String[] {"crossentropy", "mse"}) {
            Path out = dir.resolve(loss);
            Cli.Run run = loss.equals("crossentropy")
                    ? Cli.run("compile", MODEL, "-p", "com.acme", "-o", out.toString(), "--trainer")
                    : Cli.run("compile", MODEL, "-p", "com.acme", "-o", out.toString(), "--trainer", loss);
            assertEquals(0, run.exitCode(), run.toString());
            Path trainer = out.resolve("com/acme/SeedCnnTrainer.java");
            assertTrue(run.out().contains("trainer   " + trainer), run.toString());
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            assertEquals(0, javac.run(null, null, null, "-d", out.toString(), "-cp", System.getProperty("java.class.path"),
                    out.resolve("com/acme/SeedCnn.java").toString(), trainer.toString()));
            try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
                Object classifier = loader.loadClass("com.acme.SeedCnn").getMethod("load").invoke(null);
                TrainableModel model = (TrainableModel) loader.loadClass("com.acme.SeedCnnTrainer")
                        .getConstructor(Map.class)
                        .newInstance(WeightsFile.read(Path.of(Cli.example("mnist/seed_cnn.weights.json"))).tensors());
                float[] x = new float[model.inputSize()];
                Random random = new Random(3);
                for (int i = 0; i < x.length; i++) {
                    x[i] = random.nextFloat();
                }
                float[] expected = (float[]) classifier.getClass().getMethod("predict", float[].class).invoke(classifier, x);
                float[] raw = new float[model.outputSize()];
                model.newWorker(1).infer(x, 1, raw);
                float[] got = loss.equals("mse") ? raw : softmax(raw);
                assertEquals(expected.length, got.length);
                boolean sameAsRaw = true;
                for (int k = 0; k < expected.length; k++) {
                    assertEquals(expected[k], got[k], 1e-5, loss + " output " + k);
                    sameAsRaw &= Math.abs(expected[k] - raw[k]) < 1e-5;
                }
                assertEquals(loss.equals("mse"), sameAsRaw, "crossentropy's trainer gives logits, mse's probabilities");
            }
        }
    }

    @Test
    void aLossItDoesNotKnowAndAnEnsembleAreRefused(@TempDir Path dir) throws Exception {
        Cli.Run bad = Cli.run("compile", MODEL, "-o", dir.toString(), "--trainer", "hinge");
        assertEquals(ExitCodes.USER_ERROR, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("--trainer 'hinge': the loss is crossentropy or mse"), bad.toString());
        Cli.Run ensemble = Cli.run("compile", MODEL, MODEL, "--ensemble", "Pair", "-o", dir.toString(), "--trainer");
        assertFalse(ensemble.exitCode() == 0, ensemble.toString());
        assertTrue(ensemble.err().contains("--trainer needs one .cnn model"), ensemble.toString());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
        assertTrue(Cli.run("compile", "--help").out().contains("--trainer[=LOSS]"));
    }

    private static float[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : z) {
            sum += Math.exp(v - max);
        }
        float[] p = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = (float) (Math.exp(z[i] - max) / sum);
        }
        return p;
    }
}
