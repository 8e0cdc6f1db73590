package dev.striate.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShuffleSplitTest {
    static Dataset numbered(int n) {
        float[] px = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            px[i] = i;
            labels[i] = i % 3;
        }
        return new FloatImageDataset(new ImageShape(1, 1, 1), px, labels, List.of("a", "b", "c"));
    }

    @Test
    void permutationIsSeededAndComplete() {
        int[] p = Shuffle.permutation(1000, 42);
        assertArrayEquals(p, Shuffle.permutation(1000, 42));
        assertFalse(Arrays.equals(p, Shuffle.permutation(1000, 43)));
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        int fixedPoints = 0;
        for (int i = 0; i < p.length; i++) {
            fixedPoints += p[i] == i ? 1 : 0;
        }
        assertEquals(true, fixedPoints < 10, "a shuffle leaves about one element in place, got " + fixedPoints);
        assertArrayEquals(new int[0], Shuffle.permutation(0, 1));
    }

    @Test
    void permutationIsPinned() {
        // Pins the algorithm (Fisher-Yates from the last index with SplittableRandom): changing it changes runs.
        int[] expected = Shuffle.permutation(8, 7);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        int[] p = {0, 1, 2, 3, 4, 5, 6, 7};
        for (int i = 7; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        assertArrayEquals(p, expected);
    }

    @Test
    void derivedSeedsDiffer() {
        Set<Long> seeds = new HashSet<>();
        for (int e = 0; e < 10; e++) {
            for (int i = -1; i < 100; i++) {
                seeds.add(Shuffle.seed(5, e, i));
            }
        }
        assertEquals(10 * 101, seeds.size());
        assertNotEquals(Shuffle.seed(5, 0, 1), Shuffle.seed(5, 1, 0));
        assertNotEquals(Shuffle.seed(5, 0, 0), Shuffle.seed(6, 0, 0));
    }

    @Test
    void shuffledKeepsImagesWithTheirLabels() {
        Dataset s = Shuffle.shuffled(numbered(50), 3);
        assertEquals(50, s.size());
        for (int i = 0; i < 50; i++) {
            assertEquals(((int) s.image(i)[0]) % 3, s.label(i));
        }
    }

    @Test
    void randomSplitIsDisjointCompleteAndSeeded() {
        Dataset ds = numbered(100);
        Split a = Split.random(ds, 0.25, 9);
        assertEquals(75, a.train().size());
        assertEquals(25, a.validation().size());
        Set<Float> seen = new HashSet<>();
        for (Dataset part : List.of(a.train(), a.validation())) {
            float prev = -1;
            for (int i = 0; i < part.size(); i++) {
                float v = part.image(i)[0];
                assertEquals(true, v > prev, "each part keeps the original order");
                prev = v;
                assertEquals(true, seen.add(v), "image " + v + " is in both parts");
            }
        }
        assertEquals(100, seen.size());
        Split b = Split.random(ds, 0.25, 9);
        for (int i = 0; i < 25; i++) {
            assertEquals(a.validation().image(i)[0], b.validation().image(i)[0]);
        }
        Split c = Split.random(ds, 0.25, 10);
        boolean differs = false;
        for (int i = 0; i < 25; i++) {
            differs |= a.validation().image(i)[0] != c.validation().image(i)[0];
        }
        assertEquals(true, differs);
    }

    @Test
    void tailSplitTakesTheLastImagesLikeKeras() {
        Split s = Split.tail(numbered(10), 0.2);
        assertEquals(8, s.train().size());
        assertArrayEquals(new float[] {8}, s.validation().image(0));
        assertArrayEquals(new float[] {9}, s.validation().image(1));
        assertEquals(0, Split.tail(numbered(10), 0).validation().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Split.tail(numbered(3), 1));
        assertEquals("the validation fraction must be in [0, 1), got 1.0", e.getMessage());
    }

    @Test
    void subsetRejectsIndicesOutOfRange() {
        assertThrows(IndexOutOfBoundsException.class, () -> numbered(3).subset(new int[] {0, 3}));
    }
}
