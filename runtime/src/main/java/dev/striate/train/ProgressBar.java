package dev.striate.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress shown while training: per batch, a bar with the epoch, batches done, ETA, running
 * loss and accuracy (redrawn in place with carriage returns on a terminal, or a plain line about
 * every tenth of an epoch otherwise; at most ten redraws a second), and a summary line per epoch with the validation numbers,
 * time and throughput.
 */
final class ProgressBar {
    private static final int WIDTH = 24;
    private static final double REDRAW_SECONDS = 0.1;
    private final PrintStream out;
    private final TrainingConfig.ProgressMode mode;
    private final int epochs;
    private int epoch;
    private int batches;
    private int lastWidth;
    private double lastDraw;

    ProgressBar(PrintStream out, TrainingConfig.ProgressMode mode, int epochs) {
        this.out = out;
        this.mode = mode == TrainingConfig.ProgressMode.AUTO
                ? (System.console() != null ? TrainingConfig.ProgressMode.TERMINAL : TrainingConfig.ProgressMode.LINES)
                : mode;
        this.epochs = epochs;
    }

    /** Starts epoch {@code epoch} (from 0) of {@code batches} batches. */
    void startEpoch(int epoch, int batches) {
        this.epoch = epoch;
        this.batches = batches;
        this.lastWidth = 0;
    }

    /**
     * Reports that {@code done} batches of the epoch are finished, {@code doneThisRun} of them in
     * {@code seconds} since this run started the epoch (for the ETA).
     */
    void batch(int done, int doneThisRun, double seconds, double loss, double accuracy) {
        if (out == null) {
            return;
        }
        boolean last = done == batches;
        switch (mode) {
            case TERMINAL -> {
                if (!last && lastWidth > 0 && seconds - lastDraw < REDRAW_SECONDS) {
                    return;
                }
                lastDraw = seconds;
                String line = line(done, doneThisRun, seconds, loss, accuracy);
                String padding = " ".repeat(Math.max(0, lastWidth - line.length()));
                lastWidth = line.length();
                out.print("\r" + line + padding);
                out.flush();
            }
            case LINES -> {
                int every = Math.max(1, batches / 10);
                if (done % every == 0 && !last) {
                    out.println(line(done, doneThisRun, seconds, loss, accuracy));
                }
            }
            default -> {
            }
        }
    }

    /** The bar's text for {@code done} of the epoch's batches. */
    String line(int done, int doneThisRun, double seconds, double loss, double accuracy) {
        int filled = batches == 0 ? WIDTH : (int) ((long) done * WIDTH / batches);
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        double eta = doneThisRun == 0 ? Double.NaN : seconds / doneThisRun * (batches - done);
        return String.format(Locale.ROOT, "epoch %d/%d [%s] %d/%d ETA %s loss %.4f acc %s", epoch + 1, epochs, bar,
                done, batches, duration(eta), loss, ConfusionMatrix.percent(accuracy));
    }

    /** Ends the epoch with its summary line. */
    void endEpoch(EpochStats s) {
        if (out == null) {
            return;
        }
        if (mode == TrainingConfig.ProgressMode.TERMINAL && lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
        }
        out.println(summary(s, epochs));
        out.flush();
    }

    /** The per-epoch summary line. */
    static String summary(EpochStats s, int epochs) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  loss %.4f  acc %s", s.epoch(),
                epochs, s.trainLoss(), ConfusionMatrix.percent(s.trainAccuracy())));
        if (s.hasValidation()) {
            b.append(String.format(Locale.ROOT, "  val_loss %.4f  val_acc %s", s.valLoss(),
                    ConfusionMatrix.percent(s.valAccuracy())));
        }
        b.append(String.format(Locale.ROOT, "  lr %.3g  %.1fs  %.0f img/s", s.lr(), s.seconds(), s.imagesPerSecond()));
        return b.toString();
    }

    /** A message on a line of its own (after clearing a bar in progress). */
    void message(String text) {
        if (out == null) {
            return;
        }
        if (mode == TrainingConfig.ProgressMode.TERMINAL && lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            lastWidth = 0;
        }
        out.println(text);
        out.flush();
    }

    /** {@code m:ss} or {@code h:mm:ss}; {@code -:--} when unknown. */
    static String duration(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            return "-:--";
        }
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
