package dev.striate.optim.schedule;

/**
 * The cyclic cosine schedule of snapshot ensembles (Huang et al., 2017, "Snapshot Ensembles: Train 1,
 * get M for free"), per epoch: the training is cut into cycles of {@code cycleEpochs} epochs, and in
 * each the rate falls from the base rate along a cosine, restarting at the base rate with the next
 * cycle: {@code lr(t) = base / 2 * (1 + cos(pi * (t mod c) / c))}. The paper's form with {@code c =
 * ceil(T / M)} for {@code T} epochs and {@code M} cycles, stepped per epoch rather than per batch. A
 * snapshot of the weights is taken at the end of each cycle ({@link #endsCycle}), where the rate is
 * lowest.
 *
 * @param baseLr the rate at the start of every cycle
 * @param cycleEpochs the epochs per cycle, {@code >= 1}
 */
public record SnapshotSchedule(double baseLr, int cycleEpochs) implements Schedule {
    /** Checks the arguments. */
    public SnapshotSchedule {
        StepSchedule.checkLr(baseLr);
        if (cycleEpochs < 1) {
            throw new IllegalArgumentException("a cycle must last at least 1 epoch, got " + cycleEpochs);
        }
    }

    /** The schedule of {@code cycles} cycles over {@code epochs} epochs: cycles of {@code ceil(epochs / cycles)}. */
    public static SnapshotSchedule of(double baseLr, int epochs, int cycles) {
        if (cycles < 1 || cycles > epochs) {
            throw new IllegalArgumentException("snapshot cycles must be between 1 and the " + epochs
                    + " epochs, got " + cycles);
        }
        return new SnapshotSchedule(baseLr, (epochs + cycles - 1) / cycles);
    }

    @Override
    public double lr(int t) {
        Schedule.checkEpoch(t);
        return baseLr * (1 + Math.cos(Math.PI * (t % cycleEpochs) / cycleEpochs)) / 2;
    }

    /** Whether epoch {@code t} (from 0) is the last of its cycle. */
    public boolean endsCycle(int t) {
        Schedule.checkEpoch(t);
        return (t + 1) % cycleEpochs == 0;
    }
}
