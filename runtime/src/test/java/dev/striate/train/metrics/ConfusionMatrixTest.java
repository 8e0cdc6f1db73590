package dev.striate.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    @Test
    void countsAccuracyAndPerClassAccuracy() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(0, 0);
        m.add(0, 0);
        m.add(0, 1);
        m.add(1, 1);
        m.add(2, 0);
        assertEquals(5, m.total());
        assertEquals(3, m.correct());
        assertEquals(0.6, m.accuracy(), 1e-12);
        assertEquals(2, m.count(0, 0));
        assertEquals(1, m.count(2, 0));
        assertEquals(3, m.support(0));
        assertEquals(2.0 / 3, m.classAccuracy(0), 1e-12);
        assertEquals(1.0, m.classAccuracy(1), 0);
        assertEquals(0.0, m.classAccuracy(2), 0);
        assertThrows(IllegalArgumentException.class, () -> m.add(3, 0));
    }

    @Test
    void batchesAndMergesAddUp() {
        ConfusionMatrix a = new ConfusionMatrix(2);
        a.addBatch(new float[] {0.9f, 0.1f, 0.4f, 0.6f, 0.7f, 0.3f}, new int[] {0, 1, 1}, 3);
        ConfusionMatrix b = new ConfusionMatrix(2);
        b.add(1, 1);
        a.add(b);
        assertEquals(4, a.total());
        assertEquals(1, a.count(1, 0));
        assertEquals(2, a.count(1, 1));
        assertThrows(IllegalArgumentException.class, () -> a.add(new ConfusionMatrix(3)));
    }

    @Test
    void formatsATableWithLabelsAndPerClassAccuracy() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        for (int i = 0; i < 12; i++) {
            m.add(0, 0);
        }
        m.add(0, 1);
        m.add(1, 1);
        String text = m.format(List.of("cat", "dog"));
        assertEquals("actual cat dog  accuracy\n"
                + "   cat  12   1  92.31%\n"
                + "   dog   0   1  100.00%\n", text);
        assertTrue(new ConfusionMatrix(3).format(null).contains("  -\n"));
        assertThrows(IllegalArgumentException.class, () -> m.format(List.of("one")));
    }
}
