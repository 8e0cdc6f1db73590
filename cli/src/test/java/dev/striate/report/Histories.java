package dev.striate.report;

import dev.striate.train.EpochStats;
import dev.striate.train.TrainingLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Training histories written by the trainer's own log writer ({@link TrainingLog}), for the picture tests. */
final class Histories {
    private Histories() {
    }

    /** {@code n} epochs of a plausible run (loss falling, accuracy rising), with validation when asked. */
    static List<EpochStats> run(int n, boolean validation) {
        List<EpochStats> epochs = new ArrayList<>();
        for (int e = 1; e <= n; e++) {
            double trainLoss = 1.2 / (e + 0.5) + 0.013 * (e % 3);
            double trainAcc = 0.6 + 0.38 * (1 - Math.exp(-0.45 * e));
            double valLoss = validation ? 0.9 / (e + 1) + 0.08 + 0.021 * (e % 2) : Double.NaN;
            double valAcc = validation ? 0.55 + 0.36 * (1 - Math.exp(-0.5 * e)) - 0.01 * (e % 2) : Double.NaN;
            epochs.add(new EpochStats(e, 0.001, trainLoss, trainAcc, valLoss, valAcc, 1.5, 1000));
        }
        return epochs;
    }

    /** Writes {@code epochs} as {@code striate train --log csv} would: {@code csv} and its {@code .jsonl} twin. */
    static Path write(Path csv, List<EpochStats> epochs) throws IOException {
        new TrainingLog(csv).write(epochs);
        return csv;
    }

    /** The value as the log writes it (six decimals). */
    static double logged(double v) {
        return Double.isNaN(v) ? Double.NaN : Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6f", v));
    }
}
