package dev.striate.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
    @TempDir
    Path dir;

    @Test
    void missingFilesAreNamedWithTheCommandThatFetchesThem() throws IOException {
        new IdxFile(new int[] {1}, new byte[1]).write(dir.resolve(Mnist.TRAIN_LABELS));
        DataException e = assertThrows(DataException.class, () -> Mnist.load(dir));
        assertEquals("MNIST not found in " + dir + " (missing train-images-idx3-ubyte, t10k-images-idx3-ubyte, "
                + "t10k-labels-idx1-ubyte); run `striate data mnist` (or tools/data/fetch-mnist.sh) to fetch it",
                e.getMessage());
        assertEquals(false, Mnist.isPresent(dir));
    }

    @Test
    void loadsGeneratedFullSizeFilesPlainOrGzipped() throws IOException {
        byte[] train = new byte[60_000 * 784];
        train[784 * 59_999 + 5] = (byte) 200;
        byte[] trainLabels = new byte[60_000];
        trainLabels[59_999] = 9;
        new IdxFile(new int[] {60_000, 28, 28}, train).write(dir.resolve(Mnist.TRAIN_IMAGES + ".gz"));
        new IdxFile(new int[] {60_000}, trainLabels).write(dir.resolve(Mnist.TRAIN_LABELS));
        new IdxFile(new int[] {10_000, 28, 28}, new byte[10_000 * 784]).write(dir.resolve(Mnist.TEST_IMAGES));
        new IdxFile(new int[] {10_000}, new byte[10_000]).write(dir.resolve(Mnist.TEST_LABELS + ".gz"));
        assertTrue(Mnist.isPresent(dir));
        Mnist m = Mnist.load(dir);
        assertEquals(60_000, m.train().size());
        assertEquals(10_000, m.test().size());
        assertEquals(9, m.train().label(59_999));
        assertEquals(200f, m.train().image(59_999)[5]);
        assertEquals(10, m.train().classCount());
    }

    @Test
    void wrongSizesAreReported() throws IOException {
        new IdxFile(new int[] {2, 28, 28}, new byte[2 * 784]).write(dir.resolve(Mnist.TRAIN_IMAGES));
        new IdxFile(new int[] {2}, new byte[2]).write(dir.resolve(Mnist.TRAIN_LABELS));
        new IdxFile(new int[] {1, 28, 28}, new byte[784]).write(dir.resolve(Mnist.TEST_IMAGES));
        new IdxFile(new int[] {1}, new byte[1]).write(dir.resolve(Mnist.TEST_LABELS));
        DataException e = assertThrows(DataException.class, () -> Mnist.load(dir));
        assertEquals(dir.resolve(Mnist.TRAIN_IMAGES) + ": expected 60000 images of 28x28, found 2 images of "
                + "[1, 28, 28]; delete the folder and run `striate data mnist` again", e.getMessage());
    }

    /**
     * Checks the real MNIST when the fetch script has filled the default cache; otherwise checks that
     * loading it explains how to fetch it. Either way it asserts something, so it never skips.
     */
    @Test
    void defaultCacheIsRealMnistOrExplainsHowToFetchIt() throws IOException {
        Path cache = Mnist.defaultDirectory();
        if (!Mnist.isPresent(cache)) {
            DataException e = assertThrows(DataException.class, Mnist::load);
            assertTrue(e.getMessage().contains("run `striate data mnist`"), e.getMessage());
            return;
        }
        Mnist m = Mnist.load();
        assertEquals(5, m.train().label(0));     // the first training digit is a 5
        assertEquals(7, m.test().label(0));      // the first test digit is a 7
        int[] counts = new int[10];
        for (int i = 0; i < m.train().size(); i++) {
            counts[m.train().label(i)]++;
        }
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, counts);
        Normalization fit = Normalization.fit(m.train());
        assertEquals(0.1307, fit.mean()[0] / 255, 1e-4);
        assertEquals(0.3081, fit.std()[0] / 255, 1e-4);
    }

    @Test
    void defaultDirectoryEndsInStriateMnist() {
        if (System.getenv(Mnist.DIR_VARIABLE) == null) {
            assertTrue(Mnist.defaultDirectory().endsWith(Path.of("striate", "mnist")));
        } else {
            assertEquals(Path.of(System.getenv(Mnist.DIR_VARIABLE)), Mnist.defaultDirectory());
        }
        assertTrue(Files.exists(dir));
    }
}
