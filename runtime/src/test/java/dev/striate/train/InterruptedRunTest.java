package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.data.Dataset;
import dev.striate.optim.Adam;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Ctrl-C path with a real signal: a child JVM trains, receives SIGTERM (what
 * {@link ProcessHandle#destroy()} sends; SIGINT runs the same shutdown hooks), saves a checkpoint at a
 * batch boundary and exits; resuming here gives the weights of an uninterrupted run bit for bit.
 */
class InterruptedRunTest {
    static final Dataset DATA = Blobs.of(240, 3, 7);
    static final int EPOCHS = 300;

    @TempDir
    Path dir;

    static Mlp model() {
        return new Mlp(8, 16, 3, 0.25, 42);
    }

    static TrainingConfig.Builder config(Path checkpoints) {
        return TrainingConfig.builder().epochs(EPOCHS).batchSize(20).seed(11).threads(2)
                .optimizer(() -> Adam.builder().lr(0.001).build()).validationFraction(0.2)
                .checkpointDir(checkpoints).progress(null);
    }

    @Test
    void aSignalSavesACheckpointThatResumesToTheUninterruptedWeights() throws Exception {
        Path checkpoints = dir.resolve("ckpt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the child runs the same matrix kernel as this JVM: a checkpoint resumes only on its own kernel
        String kernel = VectorModule.KERNEL.equals("vector") ? VectorModule.ADD_MODULES : "-Dstriate.kernel=scalar";
        Process child = new ProcessBuilder(java, kernel, "-cp", System.getProperty("java.class.path"),
                InterruptedRunMain.class.getName(), checkpoints.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertEquals("training", out.readLine());
            assertTrue(child.toHandle().destroy(), "SIGTERM sent");
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child exits");
            assertEquals("stopped", out.readLine(), "the loop returned normally after the signal");
        } finally {
            child.destroyForcibly();
        }
        Path file = CheckpointFile.in(checkpoints);
        assertTrue(Files.exists(file));
        Checkpoint c = CheckpointFile.read(file);
        assertTrue(c.epoch() < EPOCHS, "stopped early, at epoch " + c.epoch());
        try (var files = Files.list(checkpoints)) {
            assertEquals(1, files.count(), "no temporary file left");
        }

        Mlp resumed = model();
        TrainingResult rest = new Trainer(resumed, new TestCrossEntropy(), config(checkpoints).resume(true).build())
                .train(DATA);
        Mlp reference = model();
        new Trainer(reference, new TestCrossEntropy(), config(dir.resolve("ref")).build()).train(DATA);
        assertEquals(EPOCHS, rest.history().size());
        for (int p = 0; p < reference.parameters().size(); p++) {
            assertArrayEquals(reference.parameters().get(p).data(), resumed.parameters().get(p).data());
        }
    }

}
