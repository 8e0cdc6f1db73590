package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.train.Checkpoint;
import dev.striate.train.CheckpointFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code striate train} in a real separate JVM, killed with SIGKILL ({@link Process#destroyForcibly()}
 * on Linux) at seeded random moments: after every kill the last checkpoint is still whole (it reads
 * back, its CRC holds, it never goes backwards) and no weights file appears; {@code --resume} then
 * finishes with weights bit-identical to an uninterrupted run with the same seed. The kill seed is
 * {@code -Dstriate.killSeed} (default 9) and is printed with every delay, so a failure can be replayed.
 */
class KillResumeTest {
    private static final int EPOCHS = 6;
    private static final int KILLS = 3;
    private static final long TIMEOUT_SECONDS = 240;

    @TempDir
    Path dir;

    @Test
    void killedTrainingResumesToTheUninterruptedWeights() throws Exception {
        Path data = dir.resolve("data");
        SyntheticIdx.write(data, 2400, 16);
        Path model = dir.resolve("bars.cnn");
        Files.writeString(model, SyntheticIdx.MODEL);

        Path reference = dir.resolve("reference/w.weights.json");
        Path referenceCkpt = CheckpointFile.in(dir.resolve("reference/ckpt"));
        Process full = start(command(model, data, reference, referenceCkpt.getParent(), false));
        awaitNewCheckpoint(full, referenceCkpt, null);
        long firstCheckpoint = System.nanoTime();
        assertEquals(0, finish(full), "the uninterrupted run");
        long epochMillis = Math.max(1, (System.nanoTime() - firstCheckpoint) / 1_000_000 / (EPOCHS - 1));

        long seed = Long.getLong("striate.killSeed", 9);
        Random random = new Random(seed);
        Path out = dir.resolve("killed/w.weights.json");
        Path ckptDir = dir.resolve("killed/ckpt");
        Path ckpt = CheckpointFile.in(ckptDir);
        int kills = 0;
        int lastEpoch = 0;
        int lastBatch = 0;
        List<String> story = new ArrayList<>();
        for (int attempt = 0; attempt < KILLS; attempt++) {
            byte[] before = Files.exists(ckpt) ? Files.readAllBytes(ckpt) : null;
            Process p = start(command(model, data, out, ckptDir, attempt > 0));
            // training is under way once a new checkpoint lands; then any moment of the next epoch and a half
            awaitNewCheckpoint(p, ckpt, before);
            long delay = (long) (random.nextDouble() * epochMillis * 1.5);
            story.add("attempt " + attempt + ": kill after " + delay + " ms");
            if (p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                story.add("finished before the kill, exit " + p.exitValue());
                break;
            }
            p.destroyForcibly();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the killed JVM exits");
            kills++;
            if (Files.exists(out)) {
                // Killed after its last epoch, between writing the weights and exiting: the weights
                // were written whole (atomically) and are the final ones.
                story.add("killed after the weights were written");
                assertArrayEquals(Files.readAllBytes(blob(reference)), Files.readAllBytes(blob(out)),
                        "weights written before a kill are complete: " + story);
                break;
            }
            Checkpoint c = CheckpointFile.read(ckpt);
            story.add("killed; checkpoint at epoch " + c.epoch() + ", batch " + c.batch());
            assertTrue(c.epoch() > lastEpoch || c.epoch() == lastEpoch && c.batch() >= lastBatch,
                    "the checkpoint never goes backwards: " + story);
            lastEpoch = c.epoch();
            lastBatch = c.batch();
        }
 System.out.println("kill-resume (seed " + seed + "): " + epochMillis + " ms per epoch; " + String.join("; ", story));
        assertTrue(kills >= 1, "at least one run was killed mid-way: " + story);
        if (!Files.exists(out)) {
            Process resumed = start(command(model, data, out, ckptDir, true));
            assertEquals(0, finish(resumed), "the resumed run: " + story);
        }
        assertArrayEquals(Files.readAllBytes(blob(reference)), Files.readAllBytes(blob(out)),
                "resumed weights equal the uninterrupted run's: " + story);
        try (Stream<Path> left = Files.list(ckptDir)) {
            assertTrue(left.anyMatch(f -> f.getFileName().toString().equals(CheckpointFile.NAME)));
        }
    }

    /** Waits until {@code ckpt} exists with content other than {@code before}, or the process ends. */
    private static void awaitNewCheckpoint(Process p, Path ckpt, byte[] before) throws Exception {
        while (p.isAlive()) {
            if (Files.exists(ckpt)) {
                try {
                    if (before == null || !java.util.Arrays.equals(before, Files.readAllBytes(ckpt))) {
                        return;
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    // replaced while we opened it: look again
                }
            }
            Thread.sleep(2);
        }
    }

    private static List<String> command(Path model, Path data, Path out, Path ckpt, boolean resume) {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                // the same kernel in every run, and no relaunch into a child JVM that SIGKILL would miss
                "-Dstriate.kernel=scalar", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--checkpoint-dir", ckpt.toString(), "--epochs", Integer.toString(EPOCHS), "--threads", "2",
                "--no-test", "--progress", "summary"));
        if (resume) {
            cmd.add("--resume");
        }
        return cmd;
    }

    private Process start(List<String> command) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        Path log = dir.resolve("logs/" + System.nanoTime() + ".txt");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private int finish(Process p) throws Exception {
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("training did not finish in " + TIMEOUT_SECONDS + " s");
        }
        if (p.exitValue() != 0) {
            try (Stream<Path> logs = Files.list(dir.resolve("logs"))) {
                for (Path l : logs.toList()) {
                    System.out.println(l + ":\n" + Files.readString(l));
                }
            }
        }
        return p.exitValue();
    }

    private static Path blob(Path manifest) throws IOException {
        try (Stream<Path> files = Files.list(manifest.getParent())) {
            String stem = manifest.getFileName().toString().replace(".json", "");
            return files.filter(p -> p.getFileName().toString().startsWith(stem) && !p.toString().endsWith(".json"))
                    .findFirst().orElseThrow(() -> new AssertionError("no blob beside " + manifest));
        }
    }
}
