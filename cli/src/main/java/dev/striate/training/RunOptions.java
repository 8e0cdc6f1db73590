package dev.striate.training;

import dev.striate.train.TrainingConfig;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What the command line adds to a recipe that a train block does not say: threads, files,
 * resuming and where progress goes.
 *
 * @param threads worker threads
 * @param slices parts each batch is cut into (the numbers depend on it, not on {@code threads})
 * @param logFile the CSV log (JSON lines beside it), or null
 * @param checkpointDir the checkpoint folder, or null for none
 * @param resume whether to continue from the checkpoint
 * @param progress where progress goes, or null
 * @param progressMode how progress is drawn
 * @param afterEpoch told after every epoch (snapshots), or null
 */
public record RunOptions(int threads, int slices, Path logFile, Path checkpointDir, boolean resume,
        PrintStream progress, TrainingConfig.ProgressMode progressMode, TrainingConfig.EpochListener afterEpoch) {
}
