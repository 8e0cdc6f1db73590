package dev.striate.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cyclic cosine of snapshot ensembles, values worked by hand: cos(pi/3) = 0.5, cos(2 pi/3) = -0.5. */
class SnapshotScheduleTest {
    @Test
    void restartsAtTheBaseRateEveryCycle() {
        SnapshotSchedule s = SnapshotSchedule.of(0.1, 6, 2);
        assertEquals(3, s.cycleEpochs());
        double[] want = {0.1, 0.075, 0.025, 0.1, 0.075, 0.025};
        for (int t = 0; t < want.length; t++) {
            assertEquals(want[t], s.lr(t), 1e-15, "epoch " + t);
        }
        assertTrue(s.endsCycle(2) && s.endsCycle(5));
        assertFalse(s.endsCycle(0) || s.endsCycle(3));
    }

    @Test
    void cyclesAreTheCeilingOfEpochsOverM() {
        assertEquals(3, SnapshotSchedule.of(0.1, 5, 2).cycleEpochs());
        assertEquals(1, SnapshotSchedule.of(0.1, 4, 4).cycleEpochs());
        assertThrows(IllegalArgumentException.class, () -> SnapshotSchedule.of(0.1, 4, 5));
        assertThrows(IllegalArgumentException.class, () -> SnapshotSchedule.of(0.1, 4, 0));
    }
}
