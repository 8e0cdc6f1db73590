package dev.striate.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The generated Sobel edge detector gives exact integer responses. */
class SobelTest {
    /** A 6x6 image, dark on the left half (0) and bright on the right half (10). */
    static float[] stepImage() {
        float[] image = new float[36];
        for (int r = 0; r < 6; r++) {
            for (int c = 3; c < 6; c++) {
                image[r * 6 + c] = 10;
            }
        }
        return image;
    }

    /**
     * By hand, with zero padding: Gx = 4 * (right - left neighbour) inside, 3 * on the top and
     * bottom rows (one kernel row falls on padding); Gy is 0 inside and [1 2 1]-weighted sums of
     * the row below (top row) or minus the row above (bottom row).
     */
    static final float[] STEP_RESPONSE = {
        // Gx
        0, 0, 30, 30, 0, -30,
        0, 0, 40, 40, 0, -40,
        0, 0, 40, 40, 0, -40,
        0, 0, 40, 40, 0, -40,
        0, 0, 40, 40, 0, -40,
        0, 0, 30, 30, 0, -30,
        // Gy
        0, 0, 10, 30, 40, 30,
        0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0,
        0, 0, -10, -30, -40, -30,
    };

    @Test
    void findsTheVerticalEdgeOfAStep() {
        assertArrayEquals(STEP_RESPONSE, Sobel.load().predict(stepImage()), 0f);
    }

    @Test
    void matchesPyTorchExactlyOnIntegerImages() {
        Golden golden = Golden.load("sobel");
        Sobel sobel = Sobel.load();
        for (int i = 0; i < golden.inputs().size(); i++) {
            assertArrayEquals(golden.outputs().get(i), sobel.predict(golden.inputs().get(i)), 0f, "image " + i);
        }
    }
}
