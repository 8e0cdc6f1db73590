package dev.striate.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteImageDatasetTest {
    @TempDir
    Path dir;

    @Test
    void loadsGrayscaleImagesAndLabelsFromIdx() throws IOException {
        Path images = write("img-idx3-ubyte", new int[] {3, 2, 2}, 0, 1, 2, 3, 10, 11, 12, 13, 255, 254, 253, 252);
        Path labels = write("lab-idx1-ubyte.gz", new int[] {3}, 7, 0, 9);
        ByteImageDataset ds = ByteImageDataset.fromIdx(images, labels, 10);
        assertEquals(3, ds.size());
        assertEquals(new ImageShape(1, 2, 2), ds.shape());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), ds.classNames());
        assertEquals(7, ds.label(0));
        assertEquals(9, ds.label(2));
        assertArrayEquals(new float[] {255, 254, 253, 252}, ds.image(2));
        float[] dst = new float[6];
        ds.copyImage(1, dst, 2);
        assertArrayEquals(new float[] {0, 0, 10, 11, 12, 13}, dst);
        assertThrows(IndexOutOfBoundsException.class, () -> ds.image(3));
    }

    @Test
    void fourDimensionalImagesHaveChannels() throws IOException {
        Path images = write("img", new int[] {1, 3, 1, 2}, 1, 2, 3, 4, 5, 6);
        Path labels = write("lab", new int[] {1}, 1);
        ByteImageDataset ds = ByteImageDataset.fromIdx(images, labels, 2);
        assertEquals(new ImageShape(3, 1, 2), ds.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, ds.image(0));
    }

    @Test
    void mismatchesAreReported() throws IOException {
        Path images = write("img", new int[] {2, 1, 1}, 1, 2);
        Path three = write("three", new int[] {3}, 0, 1, 2);
        assertEquals(three + ": 3 labels for 2 images in " + images,
                assertThrows(DataException.class, () -> ByteImageDataset.fromIdx(images, three, 10)).getMessage());
        Path big = write("big", new int[] {2}, 0, 10);
        assertEquals(big + ": label 10 of image 1 is not below the 10 classes",
                assertThrows(DataException.class, () -> ByteImageDataset.fromIdx(images, big, 10)).getMessage());
        Path flat = write("flat", new int[] {2}, 1, 2);
        assertEquals(flat + ": IDX images need dimensions [n, height, width] or [n, channels, height, width], got [2]",
                assertThrows(DataException.class, () -> ByteImageDataset.fromIdx(flat, big, 10)).getMessage());
        assertEquals(images + ": IDX labels need one dimension [n], got [2, 1, 1]",
                assertThrows(DataException.class, () -> ByteImageDataset.fromIdx(images, images, 10)).getMessage());
    }

    private Path write(String name, int[] dims, int... values) throws IOException {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        Path p = dir.resolve(name);
        new IdxFile(dims, b).write(p);
        return p;
    }
}
