package dev.striate.train.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AccuracyTest {

    @Test
    void argmaxPicksTheFirstLargestAndSkipsNaN() {
        assertEquals(2, Accuracy.argmax(new float[] {1, 3, 5, 2}, 0, 4));
        assertEquals(1, Accuracy.argmax(new float[] {9, 0, 4, 4}, 1, 3));
        assertEquals(1, Accuracy.argmax(new float[] {Float.NaN, -1, Float.NaN}, 0, 3));
        assertEquals(0, Accuracy.argmax(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> Accuracy.argmax(new float[3], 1, 3));
    }

    @Test
    void accuracyCountsRowsWhoseArgmaxIsTheLabel() {
        float[] scores = {0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f};
        assertArrayEquals(new int[] {1, 0, 1}, Accuracy.predictions(scores, 3, 2));
        assertEquals(2, Accuracy.correct(scores, new int[] {1, 0, 0}, 3, 2));
        assertEquals(2.0 / 3, Accuracy.accuracy(scores, new int[] {1, 0, 0}, 3, 2), 1e-12);
        assertEquals(0, Accuracy.accuracy(scores, new int[0], 0, 2), 0);
        assertThrows(IllegalArgumentException.class, () -> Accuracy.predictions(scores, 4, 2));
    }
}
