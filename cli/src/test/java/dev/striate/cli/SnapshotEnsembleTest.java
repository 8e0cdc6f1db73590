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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot ensembles end to end on the tiny synthetic data: {@code schedule = snapshot(cycles=2)} over 4
 * epochs writes one weights file at the end of each cycle, the last one equal to the final weights, and
 * {@code compile --ensemble} builds one class over the snapshots.
 */
class SnapshotEnsembleTest {
    @TempDir
    Path dir;

    @Test
    void writesASnapshotPerCycleAndCompilesThemAsAnEnsemble() throws IOException {
        Path data = dir.resolve("data");
        SyntheticIdx.write(data, 160, 32);
        Path model = Files.writeString(dir.resolve("bars.cnn"), SyntheticIdx.MODEL
                .replace("epochs = 3", "epochs = 4\n    schedule = snapshot(cycles=2)"));
        Path out = dir.resolve("bars.weights.json");
        Cli.Run run = Cli.run("train", model.toString(), "--data", data.toString(), "--progress", "summary",
                "--threads", "1", "--out", out.toString(), "--no-checkpoint", "--no-test");
        assertEquals(0, run.exitCode(), run.toString());
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
}
