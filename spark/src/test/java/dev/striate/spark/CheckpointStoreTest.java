package dev.striate.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.optim.RmsProp;
import dev.striate.spark.models.SeedCnnTrainer;
import dev.striate.train.Checkpoint;
import dev.striate.train.CheckpointFile;
import dev.striate.weights.WeightSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints through Hadoop's file systems (without Spark: the driver's side only): a
 * {@code file://} URI and a path of the default (local) file system round-trip a checkpoint
 * {@link CheckpointFile} reads, a second write replaces the first and leaves no temporary file, a
 * corrupted checkpoint and directories Hadoop cannot reach are refused with E805.
 */
class CheckpointStoreTest {
    private static Checkpoint checkpoint(String fingerprint, int epoch) {
        WeightSet w = dev.striate.passes.InitWeights.run(dev.striate.Compiler.loadModel(Path.of(System.getProperty(
                "striate.examples", "../examples"), "mnist", "seed_cnn.cnn"), null, new dev.striate.diag.Diagnostics()), epoch);
        SeedCnnTrainer model = new SeedCnnTrainer(TrainState.fromWeights(w));
        return TrainState.initial(model, RmsProp.builder().lr(0.001).build()).checkpoint(fingerprint, List.of());
    }

    @Test
    void aFileUriAndADefaultFileSystemPathRoundTrip(@TempDir Path dir) throws Exception {
        Configuration conf = new Configuration();
        for (String uri : new String[] {dir.resolve("a").toUri().toString(), dir.resolve("b/c").toString()}) {
            CheckpointStore store = CheckpointStore.of(uri, conf);
            assertFalse(store.exists());
            store.write(checkpoint("run one", 1));
            Checkpoint second = checkpoint("run two", 2);
            store.write(second);
            assertTrue(store.exists());
            Path local = Path.of(java.net.URI.create(store.where()));
            Checkpoint read = CheckpointFile.read(local);               // striate train's reader agrees
            assertEquals("run two", read.fingerprint());
            assertEquals("run two", store.read().fingerprint());
            assertArrayEquals(second.parameters().get(0).data(), store.read().parameters().get(0).data(), 0f);
            try (Stream<Path> files = Files.list(local.getParent())) {
                assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".tmp")).toList(), "no temporary file left");
            }
        }
    }

    @Test
    void corruptedCheckpointsAndUnreachableDirectoriesAreRefused(@TempDir Path dir) throws Exception {
        Configuration conf = new Configuration();
        CheckpointStore store = CheckpointStore.of(dir.toUri().toString(), conf);
        store.write(checkpoint("run", 1));
        Path file = CheckpointFile.in(dir);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        Files.deleteIfExists(dir.resolve("." + CheckpointFile.NAME + ".crc"));   // Hadoop's own checksum aside
        StriateSparkException corrupted = assertThrows(StriateSparkException.class, store::read);
        assertEquals("E805", corrupted.code());
        assertTrue(corrupted.getMessage().contains("corrupted"), corrupted.getMessage());
        for (String bad : new String[] {"", "nosuchfs://host/dir", "hdfs://bad host/dir", "a\0b"}) {
            assertEquals("E805", assertThrows(StriateSparkException.class, () -> CheckpointStore.of(bad, conf)).code(),
                    bad);
        }
    }
}
