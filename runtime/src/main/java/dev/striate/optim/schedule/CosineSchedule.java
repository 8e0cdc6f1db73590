package dev.striate.optim.schedule;

/**
 * Cosine annealing as {@code torch.optim.lr_scheduler.CosineAnnealingLR}:
 * {@code lr(t) = eta_min + (base - eta_min) * (1 + cos(pi * t / T_max)) / 2}. Like PyTorch's, the
 * curve continues past {@code T_max} (it rises again, with period {@code 2 * T_max}); PyTorch's
 * default eta_min is 0.
 *
 * @param baseLr the learning rate at epoch 0
 * @param tMax the half period in epochs, {@code >= 1}
 * @param etaMin the learning rate at {@code t = T_max}
 */
public record CosineSchedule(double baseLr, int tMax, double etaMin) implements Schedule {
    /** Checks the arguments. */
    public CosineSchedule {
        StepSchedule.checkLr(baseLr);
        StepSchedule.checkLr(etaMin);
        if (tMax < 1) {
            throw new IllegalArgumentException("T_max must be at least 1, got " + tMax);
        }
    }

    /** PyTorch's default eta_min, 0. */
    public CosineSchedule(double baseLr, int tMax) {
        this(baseLr, tMax, 0);
    }

    @Override
    public double lr(int t) {
        Schedule.checkEpoch(t);
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2;
    }
}
