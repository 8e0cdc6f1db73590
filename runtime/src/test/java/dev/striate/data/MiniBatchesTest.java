package dev.striate.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MiniBatchesTest {
    /** 10 images of 1x2x2; image i has every pixel equal to i and label i % 3. */
    private static Dataset tiny() {
        float[] px = new float[40];
        int[] labels = new int[10];
        for (int i = 0; i < 10; i++) {
            Arrays.fill(px, 4 * i, 4 * i + 4, i);
            labels[i] = i % 3;
        }
        return new FloatImageDataset(new ImageShape(1, 2, 2), px, labels, List.of("a", "b", "c"));
    }

    @Test
    void anEpochVisitsEveryImageOnceInBatches() {
        MiniBatches mb = MiniBatches.builder(tiny(), 4).seed(1).build();
        assertEquals(3, mb.batchCount());
        List<Integer> seen = new ArrayList<>();
        int[] sizes = new int[3];
        for (Batch b : mb.epoch(0)) {
            sizes[b.index()] = b.size();
            assertEquals(b.size() * 4, b.images().length);
            for (int k = 0; k < b.size(); k++) {
                int i = b.datasetIndices()[k];
                seen.add(i);
                assertEquals(i % 3, b.labels()[k]);
                assertArrayEquals(new float[] {i, i, i, i}, Arrays.copyOfRange(b.images(), 4 * k, 4 * k + 4));
            }
        }
        assertArrayEquals(new int[] {4, 4, 2}, sizes);
        List<Integer> sorted = new ArrayList<>(seen);
        sorted.sort(null);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), sorted);
        assertFalse(seen.equals(sorted), "shuffled");
    }

    @Test
    void orderDependsOnSeedAndEpochOnly() {
        MiniBatches a = MiniBatches.builder(tiny(), 3).seed(7).build();
        MiniBatches b = MiniBatches.builder(tiny(), 3).seed(7).build();
        assertArrayEquals(a.order(2), b.order(2));
        assertFalse(Arrays.equals(a.order(0), a.order(1)));
        assertFalse(Arrays.equals(a.order(0), MiniBatches.builder(tiny(), 3).seed(8).build().order(0)));
        Batch direct = b.batch(2, 1);
        Batch iterated = null;
        for (Batch x : a.epoch(2)) {
            if (x.index() == 1) {
                iterated = x;
            }
        }
        assertArrayEquals(iterated.datasetIndices(), direct.datasetIndices());
        assertArrayEquals(iterated.images(), direct.images());
    }

    @Test
    void unshuffledAndDropLast() {
        MiniBatches mb = MiniBatches.builder(tiny(), 4).shuffle(false).dropLast(true).build();
        assertEquals(2, mb.batchCount());
        assertArrayEquals(new int[] {4, 5, 6, 7}, mb.batch(0, 1).datasetIndices());
        assertThrows(IndexOutOfBoundsException.class, () -> mb.batch(0, 2));
        assertEquals("the batch size must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> MiniBatches.builder(tiny(), 0).build()).getMessage());
    }

    @Test
    void normalizationIsAppliedAfterAugmentation() {
        MiniBatches mb = MiniBatches.builder(tiny(), 10).shuffle(false)
                .augmentation(new Augmentation(1, false, 0))
                .normalization(Normalization.of(new double[] {1}, new double[] {2})).build();
        Batch b = mb.batch(0, 0);
        boolean sawPadding = false;
        for (int k = 0; k < 10; k++) {
            for (int j = 0; j < 4; j++) {
                float v = b.images()[4 * k + j];
                // a pixel is the image's value or the zero padding, both normalized: (x - 1) / 2
                assertEquals(true, v == (k - 1) / 2f || v == -0.5f, "image " + k + " pixel " + j + " = " + v);
                sawPadding |= v == -0.5f && k != 0;
            }
        }
        assertEquals(true, sawPadding, "some shift moved zero padding in");
    }

    @Test
    void augmentationIsSeededPerImageAndEpoch() {
        MiniBatches a = MiniBatches.builder(tiny(), 5).seed(3).augmentation(new Augmentation(1, true, 0)).build();
        MiniBatches small = MiniBatches.builder(tiny(), 2).seed(3).augmentation(new Augmentation(1, true, 0)).build();
        // the same image in the same epoch is augmented the same way, whatever the batch size
        float[][] byIndex = new float[10][];
        for (Batch x : a.epoch(4)) {
            for (int k = 0; k < x.size(); k++) {
                byIndex[x.datasetIndices()[k]] = Arrays.copyOfRange(x.images(), 4 * k, 4 * k + 4);
            }
        }
        for (Batch x : small.epoch(4)) {
            for (int k = 0; k < x.size(); k++) {
                assertArrayEquals(byIndex[x.datasetIndices()[k]], Arrays.copyOfRange(x.images(), 4 * k, 4 * k + 4));
            }
        }
    }

    @Test
    void aRecycledBatchHoldsWhatAFreshOneHolds() {
        MiniBatches mb = MiniBatches.builder(tiny(), 4).seed(5).augmentation(new Augmentation(1, true, 0))
                .normalization(Normalization.of(new double[] {0.5}, new double[] {2})).build();
        Batch previous = null;
        for (int e = 0; e < 2; e++) {
            for (int b = 0; b < mb.batchCount(); b++) {
                Batch fresh = mb.batch(e, b);
                Batch recycled = mb.batch(e, b, previous);
                assertEquals(b, recycled.index());
                assertArrayEquals(fresh.images(), recycled.images(), "epoch " + e + " batch " + b);
                assertArrayEquals(fresh.labels(), recycled.labels());
                assertArrayEquals(fresh.datasetIndices(), recycled.datasetIndices());
                if (previous != null && previous.size() == recycled.size()) {
                    assertSame(previous.images(), recycled.images(), "same sizes: the arrays are reused");
                    assertSame(previous.labels(), recycled.labels());
                } else if (previous != null) {
                    assertNotSame(previous.images(), recycled.images(), "the last, smaller batch: new arrays");
                }
                previous = recycled;
            }
        }
    }
}
