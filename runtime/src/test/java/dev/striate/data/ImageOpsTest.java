package dev.striate.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ImageOpsTest {
    @Test
    void resizeMatchesPyTorchBilinearWithoutAlignCorners() {
        float[] src = {0, 10, 20, 30, 40, 50};
        float[] dst = new float[15];
        ImageOps.resize(src, 1, 2, 3, dst, 3, 5);
        // torch.nn.functional.interpolate(x, size=(3, 5), mode="bilinear", align_corners=False)
        float[] torch = {0, 4.000000476837158f, 10.000000953674316f, 16, 20, 15, 19, 25, 31, 35, 30, 34, 40,
            45.999996185302734f, 50};
        assertArrayEquals(torch, dst, 1e-5f);
        float[] big = new float[16];
        for (int i = 0; i < 16; i++) {
            big[i] = i;
        }
        float[] small = new float[2 * 4];
        ImageOps.resize(big, 1, 4, 4, small, 2, 2);
        assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, java.util.Arrays.copyOf(small, 4), 1e-6f);
    }

    @Test
    void resizeWorksPerChannel() {
        float[] src = {1, 1, 1, 1, 7, 7, 7, 7};
        float[] dst = new float[18];
        ImageOps.resize(src, 2, 2, 2, dst, 3, 3);
        for (int i = 0; i < 9; i++) {
            assertEquals(1f, dst[i], 1e-6);
            assertEquals(7f, dst[9 + i], 1e-6);
        }
    }

    @Test
    void shiftFillsWithZero() {
        ImageShape s = new ImageShape(1, 2, 3);
        float[] src = {1, 2, 3, 4, 5, 6};
        float[] dst = new float[6];
        ImageOps.shift(src, 0, s, 1, 0, dst, 0);
        assertArrayEquals(new float[] {0, 1, 2, 0, 4, 5}, dst);
        ImageOps.shift(src, 0, s, -1, 1, dst, 0);
        assertArrayEquals(new float[] {0, 0, 0, 2, 3, 0}, dst);
        ImageOps.shift(src, 0, s, 0, 0, dst, 0);
        assertArrayEquals(src, dst);
    }

    @Test
    void flipMirrorsEachRowOfEachChannel() {
        float[] src = {1, 2, 3, 4, 5, 6};
        float[] dst = new float[6];
        ImageOps.flipHorizontal(src, 0, new ImageShape(2, 1, 3), dst, 0);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, dst);
    }

    @Test
    void rotationByQuarterTurnsPermutesPixels() {
        ImageShape s = new ImageShape(1, 3, 3);
        float[] src = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] dst = new float[9];
        ImageOps.rotate(src, 0, s, 90, dst, 0);
        // counter-clockwise on screen: the right column goes to the top row
        assertArrayEquals(new float[] {3, 6, 9, 2, 5, 8, 1, 4, 7}, dst, 1e-5f);
        ImageOps.rotate(src, 0, s, 0, dst, 0);
        assertArrayEquals(src, dst);
        ImageOps.rotate(src, 0, s, 180, dst, 0);
        assertArrayEquals(new float[] {9, 8, 7, 6, 5, 4, 3, 2, 1}, dst, 1e-5f);
    }

    @Test
    void smallRotationInterpolatesAndZeroesOutside() {
        ImageShape s = new ImageShape(1, 5, 5);
        float[] ones = new float[25];
        java.util.Arrays.fill(ones, 1f);
        float[] dst = new float[25];
        ImageOps.rotate(ones, 0, s, 10, dst, 0);
        assertEquals(1f, dst[12], 1e-6);          // the center stays
        assertEquals(1f, dst[2 * 5 + 1], 1e-6);   // near the center, still inside
        float corner = dst[0];
        assertEquals(true, corner > 0 && corner < 1, "a corner samples partly outside: " + corner);
    }
}
