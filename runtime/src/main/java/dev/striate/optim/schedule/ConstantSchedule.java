package dev.striate.optim.schedule;

/**
 * The same learning rate at every epoch (no scheduler in PyTorch).
 *
 * @param baseLr the learning rate
 */
public record ConstantSchedule(double baseLr) implements Schedule {
    /** Checks the learning rate is finite and not negative. */
    public ConstantSchedule {
        StepSchedule.checkLr(baseLr);
    }

    @Override
    public double lr(int t) {
        Schedule.checkEpoch(t);
        return baseLr;
    }
}
