package com.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class TinyTest {
    @Test
    void theTestModelConvolvesByHand() {
        // Kernel [[1, 2], [3, 4]], bias 0.5 over 1..9: 37.5, then +10 right and +30 down.
        assertArrayEquals(new float[] {37.5f, 47.5f, 67.5f, 77.5f}, Tiny.load().predict(Pixels.ramp()), 0f);
    }
}
