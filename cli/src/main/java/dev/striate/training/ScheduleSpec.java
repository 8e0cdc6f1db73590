package dev.striate.training;

import dev.striate.optim.schedule.ConstantSchedule;
import dev.striate.optim.schedule.CosineSchedule;
import dev.striate.optim.schedule.LinearSchedule;
import dev.striate.optim.schedule.Schedule;
import dev.striate.optim.schedule.SnapshotSchedule;
import dev.striate.optim.schedule.StepSchedule;
import java.util.List;

/**
 * A per-epoch learning-rate schedule as written in a train block ({@code schedule = step(2, 0.5)},
 * {@code cosine}, {@code linear(...)}, {@code constant}); made concrete once the base rate and
 * the epoch count are known. Arguments and defaults follow {@code torch.optim.lr_scheduler}.
 *
 * @param kind which schedule
 * @param stepSize StepLR's {@code step_size}
 * @param gamma StepLR's {@code gamma}
 * @param tMax CosineAnnealingLR's {@code T_max}; 0 means the epoch count
 * @param etaMin CosineAnnealingLR's {@code eta_min}
 * @param startFactor LinearLR's {@code start_factor}
 * @param endFactor LinearLR's {@code end_factor}
 * @param totalIters LinearLR's {@code total_iters}
 * @param cycles the snapshot schedule's cycle count (M)
 */
public record ScheduleSpec(Kind kind, int stepSize, double gamma, int tMax, double etaMin, double startFactor,
        double endFactor, int totalIters, int cycles) {

    /** A constant rate: the optimizer's own. */
    public static final ScheduleSpec CONSTANT = new ScheduleSpec(Kind.CONSTANT, 1, 0.1, 0, 0, 1.0 / 3, 1, 5, 1);

    /** The schedules a train block may name. */
    public enum Kind {
        /** The optimizer's rate throughout. */
        CONSTANT(List.of()),
        /** StepLR: multiply by {@code gamma} every {@code step_size} epochs. */
        STEP(List.of("step_size", "gamma")),
        /** CosineAnnealingLR. */
        COSINE(List.of("t_max", "eta_min")),
        /** LinearLR. */
        LINEAR(List.of("start_factor", "end_factor", "total_iters")),
        /** Snapshot ensembles' cyclic cosine: {@code cycles} restarts, a snapshot at each cycle's end. */
        SNAPSHOT(List.of("cycles"));

        private final List<String> params;

        Kind(List<String> params) {
            this.params = params;
        }

        /** The argument names in positional order. */
        public List<String> params() {
            return params;
        }
    }

    /** The schedule for base rate {@code lr} over {@code epochs} epochs. */
    public Schedule build(double lr, int epochs) {
        return switch (kind) {
            case CONSTANT -> new ConstantSchedule(lr);
            case STEP -> new StepSchedule(lr, stepSize, gamma);
            case COSINE -> new CosineSchedule(lr, tMax > 0 ? tMax : epochs, etaMin);
            case LINEAR -> new LinearSchedule(lr, startFactor, endFactor, totalIters);
            case SNAPSHOT -> SnapshotSchedule.of(lr, epochs, cycles);
        };
    }
}
