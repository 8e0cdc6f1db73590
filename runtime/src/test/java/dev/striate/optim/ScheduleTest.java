package dev.striate.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.striate.optim.schedule.ConstantSchedule;
import dev.striate.optim.schedule.CosineSchedule;
import dev.striate.optim.schedule.LinearSchedule;
import dev.striate.optim.schedule.Schedule;
import dev.striate.optim.schedule.StepSchedule;
import dev.striate.optim.schedule.Warmup;
import org.junit.jupiter.api.Test;

/** The schedules' formulas at chosen points, argument checks and warm-up hand-over. */
class ScheduleTest {
    @Test
    void formulasAtChosenPoints() {
        assertEquals(0.25, new StepSchedule(1, 2, 0.5).lr(4), 0);
        assertEquals(0.5, new StepSchedule(1, 2, 0.5).lr(3), 0);
        assertEquals(0.01, new CosineSchedule(1, 4, 0.01).lr(4), 1e-15);
        assertEquals(0.505, new CosineSchedule(1, 4, 0.01).lr(2), 1e-15);
        assertEquals(0.5, new LinearSchedule(1, 0, 1, 4).lr(2), 0);
        assertEquals(1.0, new LinearSchedule(1, 0, 1, 4).lr(100), 0);
        assertEquals(0.3, new ConstantSchedule(0.3).lr(1000), 0);
    }

    @Test
    void warmupRampsLinearlyToTheBaseThenHandsOverAtEpochZero() {
        Schedule s = new StepSchedule(1, 1, 0.5).withWarmup(4, 0);
        assertEquals(0.0, s.lr(0), 0);
        assertEquals(0.5, s.lr(2), 0);
        assertEquals(1.0, s.lr(4), 0);
        assertEquals(0.5, s.lr(5), 0);
        assertEquals(1.0, s.baseLr(), 0);
    }

    @Test
    void applyToSetsTheOptimizersRate() {
        Optimizer opt = Adam.builder().build();
        new CosineSchedule(0.1, 10).applyTo(opt, 10);
        assertEquals(0.0, opt.learningRate(), 1e-17);
    }

    @Test
    void badArgumentsAreRejected() {
        assertMessage("step_size must be at least 1, got 0", () -> new StepSchedule(0.1, 0));
        assertMessage("T_max must be at least 1, got 0", () -> new CosineSchedule(0.1, 0));
        assertMessage("total_iters must be at least 1, got 0", () -> new LinearSchedule(0.1, 0.5, 1, 0));
        assertMessage("Starting multiplicative factor expected to be between 0 and 1, got 1.5",
                () -> new LinearSchedule(0.1, 1.5, 1, 3));
        assertMessage("Ending multiplicative factor expected to be between 0 and 1, got -0.1",
                () -> new LinearSchedule(0.1, 0.5, -0.1, 3));
        assertMessage("warm-up epochs must be at least 1, got 0", () -> new Warmup(new ConstantSchedule(1), 0, 0.1));
        assertMessage("Invalid learning rate: -0.1", () -> new ConstantSchedule(-0.1));
        assertMessage("epoch must not be negative, got -1", () -> new ConstantSchedule(0.1).lr(-1));
    }

    private static void assertMessage(String message, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertEquals(message, e.getMessage());
    }
}
