package dev.striate.optim.schedule;

/**
 * A linear warm-up before another schedule: for {@code t < epochs},
 * {@code lr(t) = base * (start_factor + (1 - start_factor) * t / epochs)}, then
 * {@code lr(t) = after.lr(t - epochs)}, so the schedule after the warm-up starts from its own
 * epoch 0. In PyTorch this is
 * {@code SequentialLR([LinearLR(start_factor, 1.0, epochs), after], milestones=[epochs])}.
 *
 * @param after the schedule that follows the warm-up; its base rate is the warm-up's target
 * @param epochs the number of warm-up epochs, {@code >= 1}
 * @param startFactor the factor of the base rate at epoch 0, in {@code [0, 1]}
 */
public record Warmup(Schedule after, int epochs, double startFactor) implements Schedule {
    /** Checks the arguments. */
    public Warmup {
        if (after == null) {
            throw new IllegalArgumentException("the schedule after the warm-up is missing");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("warm-up epochs must be at least 1, got " + epochs);
        }
        if (!(startFactor >= 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("warm-up start factor expected in [0, 1], got " + startFactor);
        }
    }

    @Override
    public double baseLr() {
        return after.baseLr();
    }

    @Override
    public double lr(int t) {
        Schedule.checkEpoch(t);
        if (t < epochs) {
            return baseLr() * (startFactor + (1 - startFactor) * t / epochs);
        }
        return after.lr(t - epochs);
    }
}
