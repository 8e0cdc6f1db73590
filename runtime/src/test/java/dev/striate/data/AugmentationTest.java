package dev.striate.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {
    private static final ImageShape S = new ImageShape(1, 8, 8);

    private static float[] dot() {
        float[] img = new float[64];
        img[3 * 8 + 4] = 1f;   // one bright pixel at (x=4, y=3)
        return img;
    }

    @Test
    void noneChangesNothingAndDrawsNothing() {
        float[] img = dot();
        SplittableRandom rng = new SplittableRandom(1);
        Augmentation.NONE.apply(img, 0, S, rng, new float[64]);
        assertArrayEquals(dot(), img);
        assertEquals(new SplittableRandom(1).nextLong(), rng.nextLong());
        assertTrue(Augmentation.NONE.isNone());
    }

    @Test
    void shiftsMoveThePixelWithinTheRangeAndCoverIt() {
        Augmentation shift = new Augmentation(2, false, 0);
        boolean[][] seen = new boolean[5][5];
        for (int seed = 0; seed < 400; seed++) {
            float[] img = dot();
            shift.apply(img, 0, S, new SplittableRandom(seed), new float[64]);
            int at = indexOfOne(img);
            int dx = at % 8 - 4;
            int dy = at / 8 - 3;
            assertTrue(Math.abs(dx) <= 2 && Math.abs(dy) <= 2, "shift " + dx + "," + dy);
            seen[dy + 2][dx + 2] = true;
        }
        for (boolean[] row : seen) {
            for (boolean b : row) {
                assertTrue(b, "every shift in [-2, 2]^2 occurs");
            }
        }
    }

    @Test
    void flipHappensAboutHalfTheTime() {
        Augmentation flip = new Augmentation(0, true, 0);
        int flipped = 0;
        for (int seed = 0; seed < 1000; seed++) {
            float[] img = dot();
            flip.apply(img, 0, S, new SplittableRandom(seed), new float[64]);
            int at = indexOfOne(img);
            flipped += at == 3 * 8 + 3 ? 1 : 0;
            assertTrue(at == 3 * 8 + 3 || at == 3 * 8 + 4);
        }
        assertTrue(flipped > 430 && flipped < 570, "flipped " + flipped + " of 1000");
    }

    @Test
    void rotationIsSmallAndSeeded() {
        Augmentation rot = new Augmentation(0, false, 15);
        float[] a = ring();
        float[] b = ring();
        rot.apply(a, 0, S, new SplittableRandom(5), new float[64]);
        rot.apply(b, 0, S, new SplittableRandom(5), new float[64]);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, ring()));
        float sumBefore = sum(ring());
        assertEquals(sumBefore, sum(a), sumBefore * 0.1, "a small rotation keeps the inside mass");
    }

    @Test
    void sameSeedSameResultAcrossAllParts() {
        Augmentation all = new Augmentation(1, true, 10);
        float[] a = ring();
        float[] b = ring();
        all.apply(a, 0, S, new SplittableRandom(77), new float[64]);
        all.apply(b, 0, S, new SplittableRandom(77), new float[64]);
        assertArrayEquals(a, b);
    }

    @Test
    void badRangesAreRejected() {
        assertEquals("the shift must not be negative, got -1",
                assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, false, 0)).getMessage());
        assertEquals("the rotation must be in [0, 180] degrees, got 200.0",
                assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, false, 200)).getMessage());
    }

    private static float[] ring() {
        float[] img = new float[64];
        for (int y = 2; y < 6; y++) {
            for (int x = 2; x < 6; x++) {
                img[y * 8 + x] = (x == 2 || x == 5 || y == 2 || y == 5) ? 1f : 0f;
            }
        }
        return img;
    }

    private static float sum(float[] a) {
        float s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }

    private static int indexOfOne(float[] img) {
        int at = -1;
        for (int i = 0; i < img.length; i++) {
            if (img[i] == 1f) {
                assertEquals(-1, at, "exactly one bright pixel");
                at = i;
            } else {
                assertEquals(0f, img[i]);
            }
        }
        return at;
    }
}
