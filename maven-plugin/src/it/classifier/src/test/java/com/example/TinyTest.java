package com.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class TinyTest {
    @Test
    void convolvesByHand() {
        float[] image = {
            1, 2, 3,
            4, 5, 6,
            7, 8, 9,
        };
        // Kernel [[1, 2], [3, 4]], bias 0.5: top-left window 1*1 + 2*2 + 4*3 + 5*4 + 0.5 = 37.5.
        float[] expected = {37.5f, 47.5f, 67.5f, 77.5f};

        assertArrayEquals(expected, Tiny.load().predict(image), 0f);
    }
}
