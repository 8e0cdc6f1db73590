package com.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TinyTest {
    private static final float[] IMAGE = {
        1, 2, 3,
        4, 5, 6,
        7, 8, 9,
    };
    // Kernel [[1, 2], [3, 4]], bias 0.5: top-left window 1*1 + 2*2 + 4*3 + 5*4 + 0.5 = 37.5,
    // and each step right adds 1+2+3+4 = 10, each step down 3 * 10.
    private static final float[] EXPECTED = {37.5f, 47.5f, 67.5f, 77.5f};

    @Test
    void convolvesByHand() {
        assertArrayEquals(EXPECTED, Tiny.load().predict(IMAGE), 0f);
    }

    @Test
    void writesIntoTheCallersArrayAndClassifiesByTheLargestOutput() {
        Tiny tiny = Tiny.load();
        float[] out = new float[Tiny.OUTPUT_SIZE];
        tiny.predict(IMAGE, out);
        assertArrayEquals(EXPECTED, out, 0f);
        assertEquals(9, Tiny.INPUT_SIZE);
        assertEquals(3, tiny.classify(IMAGE));
    }
}
