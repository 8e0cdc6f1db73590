package dev.striate.optim.schedule;

/**
 * Step decay as {@code torch.optim.lr_scheduler.StepLR}: {@code lr(t) = base * gamma^floor(t / step_size)}.
 * PyTorch's default gamma is 0.1.
 *
 * @param baseLr the learning rate at epoch 0
 * @param stepSize the number of epochs between decays, {@code >= 1}
 * @param gamma the factor applied at each decay
 */
public record StepSchedule(double baseLr, int stepSize, double gamma) implements Schedule {
    /** Checks the arguments. */
    public StepSchedule {
        checkLr(baseLr);
        if (stepSize < 1) {
            throw new IllegalArgumentException("step_size must be at least 1, got " + stepSize);
        }
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be finite and not negative, got " + gamma);
        }
    }

    /** PyTorch's default gamma, 0.1. */
    public StepSchedule(double baseLr, int stepSize) {
        this(baseLr, stepSize, 0.1);
    }

    static void checkLr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("Invalid learning rate: " + lr);
        }
    }

    @Override
    public double lr(int t) {
        Schedule.checkEpoch(t);
        return baseLr * Math.pow(gamma, t / stepSize);
    }
}
