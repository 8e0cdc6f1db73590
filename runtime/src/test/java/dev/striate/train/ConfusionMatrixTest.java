package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    @Test
    void countsAccuracyAndPerClassAccuracy() {
        ConfusionMatrix m = new ConfusionMatrix(List.of("a", "b", "c"));
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
    }

    /** No samples means no accuracy: NaN, printed "-", not a 0% that reads as all wrong. */
    @Test
    void anEmptyMatrixHasNoAccuracy() {
        ConfusionMatrix m = new ConfusionMatrix(List.of("cat", "dog"));
        assertEquals(0, m.total());
        assertEquals(0, m.correct());
        assertTrue(Double.isNaN(m.accuracy()), "accuracy of nothing: " + m.accuracy());
        assertTrue(Double.isNaN(m.classAccuracy(0)));
        assertEquals("-", ConfusionMatrix.percent(m.accuracy()));
        assertEquals("accuracy - (0/0)", new Evaluation(m, Double.NaN).report().lines().findFirst().orElseThrow());
        String table = m.format();
        assertTrue(table.startsWith("class  images  correct  accuracy\n"
                + "cat         0        0         -\n"
                + "dog         0        0         -\n"), table);
    }

    @Test
    void aClassWithoutSamplesHasNoAccuracyButTheOthersDo() {
        ConfusionMatrix m = new ConfusionMatrix(List.of("cat", "dog"));
        m.add(1, 1);
        assertEquals(1.0, m.accuracy(), 0);
        assertTrue(Double.isNaN(m.classAccuracy(0)));
        assertEquals(1.0, m.classAccuracy(1), 0);
    }

    @Test
    void refusesClassesOutsideTheMatrix() {
        ConfusionMatrix m = new ConfusionMatrix(List.of("cat", "dog"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.add(2, 0));
        assertEquals("class 2 is not in [0, 2)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.add(0, -1));
        assertEquals(0, m.total());
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(List.of()));
    }

    @Test
    void formatsTheTableAndTheMatrixAligned() {
        ConfusionMatrix m = new ConfusionMatrix(List.of("cat", "dog"));
        for (int i = 0; i < 12; i++) {
            m.add(0, 0);
        }
        m.add(0, 1);
        m.add(1, 1);
        assertEquals("class  images  correct  accuracy\n"
                + "cat        13       12    92.31%\n"
                + "dog         1        1   100.00%\n"
                + "\n"
                + "confusion matrix (rows: actual, columns: predicted)\n"
                + "       cat  dog\n"
                + "cat     12    1\n"
                + "dog      0    1\n", m.format());
    }
}
