package dev.striate.optim.schedule;

/**
 * A linear ramp of the learning-rate factor as {@code torch.optim.lr_scheduler.LinearLR}:
 * {@code lr(t) = base * (start + (end - start) * min(t, total_iters) / total_iters)}. PyTorch's
 * defaults: start_factor 1/3, end_factor 1, total_iters 5.
 *
 * @param baseLr the learning rate the factors multiply
 * @param startFactor the factor at epoch 0, in {@code [0, 1]} (0 works here, unlike PyTorch's recursive form)
 * @param endFactor the factor from epoch {@code total_iters} on, in {@code [0, 1]}
 * @param totalIters the number of epochs of the ramp, {@code >= 1}
 */
public record LinearSchedule(double baseLr, double startFactor, double endFactor, int totalIters)
        implements Schedule {
    /** Checks the arguments, with PyTorch's messages for the factors. */
    public LinearSchedule {
        StepSchedule.checkLr(baseLr);
        if (!(startFactor >= 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("Starting multiplicative factor expected to be between 0 and 1, got "
                    + startFactor);
        }
        if (!(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException("Ending multiplicative factor expected to be between 0 and 1, got "
                    + endFactor);
        }
        if (totalIters < 1) {
            throw new IllegalArgumentException("total_iters must be at least 1, got " + totalIters);
        }
    }

    /** PyTorch's defaults: start_factor 1/3, end_factor 1, total_iters 5. */
    public LinearSchedule(double baseLr) {
        this(baseLr, 1.0 / 3, 1.0, 5);
    }

    @Override
    public double lr(int t) {
        Schedule.checkEpoch(t);
        return baseLr * (startFactor + (endFactor - startFactor) * Math.min(t, totalIters) / totalIters);
    }
}
