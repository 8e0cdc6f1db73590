package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.weights.WeightSet;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot ensembles end to end on the tiny synthetic data: {@code schedule = snapshot(cycles=2)} over 4
 * epochs writes one weights file at the end of each cycle, the last one equal to the final weights, and
 * {@code compile --ensemble} builds one class over the snapshots, which {@code evaluate --ensemble} scores.
 */
class SnapshotEnsembleTest {
    @TempDir
    Path dir;

    /** Trains the bars model 4 epochs with {@code snapshot(cycles=2)} on synthetic data; returns the run. */
    private Cli.Run trainSnapshots() throws IOException {
        SyntheticIdx.write(dir.resolve("data"), 160, 32);
        Path model = Files.writeString(dir.resolve("bars.cnn"), SyntheticIdx.MODEL
                .replace("epochs = 3", "epochs = 4\n    schedule = snapshot(cycles=2)"));
        Cli.Run run = Cli.run("train", model.toString(), "--data", dir.resolve("data").toString(), "--progress",
                "summary", "--threads", "1", "--out", dir.resolve("bars.weights.json").toString(), "--no-checkpoint",
                "--no-test");
        assertEquals(0, run.exitCode(), run.toString());
        return run;
    }

    @Test
    void writesASnapshotPerCycleAndCompilesThemAsAnEnsemble() throws IOException {
        Cli.Run run = trainSnapshots();
        Path model = dir.resolve("bars.cnn");
        Path out = dir.resolve("bars.weights.json");
        Path s1 = dir.resolve("bars.snapshot-1.weights.json");
        Path s2 = dir.resolve("bars.snapshot-2.weights.json");
        assertTrue(run.out().contains("snapshot 1 (epoch 2): wrote " + s1 + "\n"), run.out());
        assertTrue(run.out().contains("snapshot 2 (epoch 4): wrote " + s2 + "\n"), run.out());
        assertFalse(Files.exists(dir.resolve("bars.snapshot-3.weights.json")));
        assertTrue(run.out().contains(", snapshot schedule (2 cycles)"), run.out());
        WeightSet first = WeightsFile.read(s1);
        WeightSet last = WeightsFile.read(s2);
        WeightSet fin = WeightsFile.read(out);
        String key = "dense_1.weight";
        assertArrayEquals(fin.tensors().get(key).data(), last.tensors().get(key).data(), "last snapshot = final weights");
        assertFalse(java.util.Arrays.equals(first.tensors().get(key).data(), last.tensors().get(key).data()),
                "the snapshots differ");

        Path gen = dir.resolve("gen");
        Cli.Run compile = Cli.run("compile", model.toString(), model.toString(), "--member-weights", s1 + "," + s2,
                "--ensemble", "BarsSnapshots", "--out", gen.toString());
        assertEquals(0, compile.exitCode(), compile.toString());
        assertTrue(Files.isRegularFile(gen.resolve("BarsSnapshots.java")), compile.toString());
    }

    /**
     * {@code evaluate --ensemble} over the two snapshots reports, per test image, the average of the two
     * snapshots' outputs as {@code evaluate} reports them one by one, and the accuracy of that average's argmax.
     */
    @Test
    void evaluatesTheSnapshotEnsembleAsTheAverageOfItsMembers() throws IOException {
        trainSnapshots();
        String model = dir.resolve("bars.cnn").toString();
        String data = dir.resolve("data").toString();
        Path s1 = dir.resolve("bars.snapshot-1.weights.json");
        Path s2 = dir.resolve("bars.snapshot-2.weights.json");
        List<float[]> one = predictions(Cli.run("evaluate", model, "--weights", s1.toString(), "--data", data,
                "--predictions", dir.resolve("p1.csv").toString()), "p1.csv");
        List<float[]> two = predictions(Cli.run("evaluate", model, "--weights", s2.toString(), "--data", data,
                "--predictions", dir.resolve("p2.csv").toString()), "p2.csv");
        Cli.Run eval = Cli.run("evaluate", model, "--data", data, "--ensemble", "BarsSnapshots", "--more-models", model,
                "--member-weights", s1 + "," + s2, "--predictions", dir.resolve("pe.csv").toString());
        List<float[]> both = predictions(eval, "pe.csv");
        assertTrue(eval.out().startsWith("ensemble BarsSnapshots of 2 models, the first Bars with " + s1
                + " on the test set of "), eval.out());
        assertEquals(32, both.size());
        int right = 0;
        boolean differ = false;
        for (int i = 0; i < both.size(); i++) {
            differ |= !Arrays.equals(one.get(i), two.get(i));
            for (int j = 1; j < 3; j++) {
                assertEquals((one.get(i)[j] + two.get(i)[j]) / 2, both.get(i)[j], 1e-6, "image " + i + " output " + j);
            }
            int predicted = both.get(i)[2] > both.get(i)[1] ? 1 : 0;
            assertEquals(predicted, (int) both.get(i)[0], "image " + i + ": predicted class");
            right += predicted == labels.get(i) ? 1 : 0;
        }
        assertTrue(differ, "the two snapshots give different outputs");
        assertTrue(eval.out().contains("accuracy " + String.format(java.util.Locale.ROOT, "%.2f%% (%d/32)",
                100.0 * right / 32, right)), eval.out());

        Cli.Run lone = Cli.run("evaluate", model, "--data", data, "--ensemble", "Lone");
        assertEquals(ExitCodes.USER_ERROR, lone.exitCode(), lone.toString());
        assertTrue(lone.err().contains("[E513]"), lone.err());
        Cli.Run weights = Cli.run("evaluate", model, "--data", data, "--ensemble", "Both", "--more-models", model,
                "--weights", s1.toString());
        assertTrue(weights.err().contains("with --ensemble give each model's with --member-weights"), weights.err());
        Cli.Run noEnsemble = Cli.run("evaluate", model, "--data", data, "--more-models", model);
        assertTrue(noEnsemble.err().contains("only with --ensemble NAME"), noEnsemble.err());
    }

    private final List<Integer> labels = new ArrayList<>();

    /**
     * Each row of {@code evaluate}'s {@code --predictions} CSV {@code name}: predicted class, then the two outputs;
     * the labels go to {@link #labels}.
     */
    private List<float[]> predictions(Cli.Run run, String name) throws IOException {
        assertEquals(0, run.exitCode(), run.toString());
        List<String> rows = Files.readAllLines(dir.resolve(name));
        assertEquals("index,label,predicted,output_0,output_1", rows.get(0));
        labels.clear();
        List<float[]> out = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            labels.add(Integer.parseInt(f[1]));
            out.add(new float[] {Integer.parseInt(f[2]), Float.parseFloat(f[3]), Float.parseFloat(f[4])});
        }
        return out;
    }
}
