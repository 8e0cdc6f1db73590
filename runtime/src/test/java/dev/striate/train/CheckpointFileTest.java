package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.optim.Adam;
import dev.striate.optim.Optimizer;
import dev.striate.optim.Sgd;
import dev.striate.weights.Tensor;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {
    @TempDir
    Path dir;

    private static Checkpoint sample(float first) {
        Tensor w = new Tensor("fc.weight", new int[] {2, 3}, new float[] {first, -2, 3.5f, Float.MIN_VALUE, -0f, 6});
        Tensor b = new Tensor("fc.bias", new int[] {2}, new float[] {0.25f, -0.125f});
        Tensor mean = new Tensor("bn.running_mean", new int[] {2}, new float[] {1, 2});
        float[][][] state = {{{1, 2, 3, 4, 5, 6}, {6, 5, 4, 3, 2, 1}}, {{7, 8}, {9, 10}}};
        List<EpochStats> history = List.of(new EpochStats(1, 0.01, 0.5, 0.8, Double.NaN, Double.NaN, 1.5, 1000));
        return new Checkpoint("model=M\nbatch=8\n", 1, 3, new Checkpoint.EpochTotals(1.25, 20, 24, 0.75), history,
                "adam", 17, state, List.of(w, b), List.of(mean));
    }

    @Test
    void roundTripsEveryField() throws IOException {
        Path file = dir.resolve("c.ckpt");
        Checkpoint c = sample(1f);
        CheckpointFile.write(file, c);
        Checkpoint r = CheckpointFile.read(file);
        assertEquals(c.fingerprint(), r.fingerprint());
        assertEquals(1, r.epoch());
        assertEquals(3, r.batch());
        assertEquals(c.partial(), r.partial());
        assertEquals(c.history(), r.history());
        assertEquals("adam", r.optimizerName());
        assertEquals(17, r.optimizerSteps());
        for (int p = 0; p < 2; p++) {
            for (int s = 0; s < 2; s++) {
                assertArrayEquals(c.optimizerState()[p][s], r.optimizerState()[p][s]);
            }
        }
        assertEquals(2, r.parameters().size());
        assertEquals("fc.weight", r.parameters().get(0).name());
        assertArrayEquals(new int[] {2, 3}, r.parameters().get(0).shape());
        assertArrayEquals(c.parameters().get(0).data(), r.parameters().get(0).data());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(r.parameters().get(0).data()[4]));
        assertEquals("bn.running_mean", r.buffers().get(0).name());
        assertArrayEquals(new float[] {1, 2}, r.buffers().get(0).data());
    }

    @Test
    void theSameCheckpointGivesTheSameBytes() throws IOException {
        CheckpointFile.write(dir.resolve("a.ckpt"), sample(1f));
        CheckpointFile.write(dir.resolve("b.ckpt"), sample(1f));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.ckpt")), Files.readAllBytes(dir.resolve("b.ckpt")));
    }

    @Test
    void aFailedWriteKeepsTheOldCheckpointAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("checkpoint.ckpt");
        CheckpointFile.write(file, sample(1f));
        byte[] before = Files.readAllBytes(file);
        IOException e = assertThrows(IOException.class, () -> CheckpointFile.write(file, sample(9f),
                out -> new FailAfter(out, 100)));
        assertEquals("disk full", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(1f, CheckpointFile.read(file).parameters().get(0).data()[0]);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void rejectsCorruptedTruncatedAndForeignFiles() throws IOException {
        Path file = dir.resolve("c.ckpt");
        CheckpointFile.write(file, sample(1f));
        byte[] bytes = Files.readAllBytes(file);

        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x10;
        Files.write(file, flipped);
        assertMessage(file, "corrupted");

        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 20));
        assertMessage(file, "corrupted");

        Files.write(file, java.util.Arrays.copyOf(bytes, 30));
        assertMessage(file, "truncated or corrupted");

        Files.writeString(file, "{\"format\": \"striate-weights\", \"version\": 1}");
        assertMessage(file, "not a Striate checkpoint");
    }

    private static void assertMessage(Path file, String part) {
        TrainingException e = assertThrows(TrainingException.class, () -> CheckpointFile.read(file));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void captureAndRestoreCarryTheOptimizerState() {
        Mlp model = new Mlp(8, 4, 3, 0, 1);
        Optimizer adam = Adam.builder().lr(0.1).build();
        float[][] params = model.parameters().stream().map(Tensor::data).toArray(float[][]::new);
        float[][] grads = model.parameters().stream().map(t -> filled(t.size(), 0.5f)).toArray(float[][]::new);
        adam.step(params, grads);
        adam.step(params, grads);
        Checkpoint c = Checkpoint.capture("f", 0, 2, Checkpoint.EpochTotals.ZERO, List.of(), model, adam);

        Mlp other = new Mlp(8, 4, 3, 0, 99);
        Optimizer fresh = Adam.builder().lr(0.1).build();
        c.restore(other, fresh);
        assertEquals(2, fresh.steps());
        for (int p = 0; p < params.length; p++) {
            assertArrayEquals(params[p], other.parameters().get(p).data());
            for (int s = 0; s < 2; s++) {
                assertArrayEquals(adam.state(p)[s], fresh.state(p)[s]);
            }
        }
        TrainingException e = assertThrows(TrainingException.class,
                () -> c.restore(new Mlp(8, 4, 3, 0, 1), Sgd.builder(0.1).build()));
        assertTrue(e.getMessage().contains("optimizer adam, not sgd"), e.getMessage());
        TrainingException shape = assertThrows(TrainingException.class,
                () -> c.restore(new Mlp(8, 5, 3, 0, 1), Adam.builder().build()));
        assertTrue(shape.getMessage().contains("fc1.weight has shape [4, 8] in the checkpoint but [5, 8]"),
                shape.getMessage());
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** A stream that fails like a full disk after some bytes. */
    private static final class FailAfter extends FilterOutputStream {
        private int left;

        FailAfter(OutputStream out, int bytes) {
            super(out);
            this.left = bytes;
        }

        @Override
        public void write(int b) throws IOException {
            if (left-- <= 0) {
                throw new IOException("disk full");
            }
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = 0; i < len; i++) {
                write(b[off + i]);
            }
        }
    }
}
