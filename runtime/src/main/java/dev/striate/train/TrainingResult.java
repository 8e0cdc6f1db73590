package dev.striate.train;

import java.util.List;

/**
 * What a call of {@link Trainer#train} did.
 *
 * @param history every finished epoch of the run, including those before a resume
 * @param stopped whether the run stopped early on a {@link StopSignal} request
 * @param epoch the epoch the run would continue with (from 0; the epoch count when finished)
 * @param batch the batch of that epoch it would continue with
 */
public record TrainingResult(List<EpochStats> history, boolean stopped, int epoch, int batch) {
    /** Copies the history. */
    public TrainingResult {
        history = List.copyOf(history);
    }

    /** The last finished epoch, or null when none finished. */
    public EpochStats last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }
}
