package dev.striate.optim.schedule;

import dev.striate.optim.Optimizer;

/**
 * A learning-rate schedule: a pure function from an epoch (or step) index, counted from 0, to a
 * learning rate. The values match PyTorch's {@code torch.optim.lr_scheduler} after {@code t} calls
 * of {@code scheduler.step()} (computed in closed form, so they agree up to rounding).
 */
public interface Schedule {
    /** The learning rate at epoch 0, before any decay or warm-up. */
    double baseLr();

    /** The learning rate for epoch (or step) {@code t >= 0}. */
    double lr(int t);

    /** Sets the optimizer's learning rate to {@link #lr(int) lr(t)}. */
    default void applyTo(Optimizer optimizer, int t) {
        optimizer.setLearningRate(lr(t));
    }

    /** This schedule preceded by a linear warm-up; see {@link Warmup}. */
    default Schedule withWarmup(int epochs, double startFactor) {
        return new Warmup(this, epochs, startFactor);
    }

    /** Checks {@code t} is not negative. */
    static void checkEpoch(int t) {
        if (t < 0) {
            throw new IllegalArgumentException("epoch must not be negative, got " + t);
        }
    }
}
