package dev.striate.train;

import dev.striate.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The per-epoch training log, as CSV and as JSON lines (one object per epoch) beside it. Both
 * files are rewritten whole from the run's history after every epoch (temporary file + rename),
 * so after a resume the log holds exactly the epochs the checkpoint knows, once each.
 */
public final class TrainingLog {
    /** The CSV header. */
    public static final String HEADER = "epoch,lr,train_loss,train_acc,val_loss,val_acc,seconds,images_per_s";

    private final Path csv;
    private final Path jsonl;

    /** A log at {@code csv} and its JSON-lines twin at {@link #jsonLinesPath(Path)}. */
    public TrainingLog(Path csv) {
        this.csv = csv.toAbsolutePath();
        this.jsonl = jsonLinesPath(this.csv);
    }

    /** {@code train.csv -> train.jsonl}; other names gain {@code .jsonl}. */
    public static Path jsonLinesPath(Path csv) {
        String name = csv.getFileName().toString();
        String base = name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        return csv.resolveSibling(base + ".jsonl");
    }

    /** The CSV file. */
    public Path csvPath() {
        return csv;
    }

    /** The JSON-lines file. */
    public Path jsonPath() {
        return jsonl;
    }

    /** Rewrites both files with these epochs. */
    public void write(List<EpochStats> history) throws IOException {
        StringBuilder c = new StringBuilder(HEADER).append('\n');
        StringBuilder j = new StringBuilder();
        for (EpochStats s : history) {
            c.append(csvLine(s)).append('\n');
            j.append(jsonLine(s)).append('\n');
        }
        replace(csv, c.toString());
        replace(jsonl, j.toString());
    }

    /** One CSV row; NaN (no validation) is an empty field. */
    static String csvLine(EpochStats s) {
        return String.join(",", Integer.toString(s.epoch()), num(s.lr()), fixed(s.trainLoss(), 6),
                fixed(s.trainAccuracy(), 6), fixed(s.valLoss(), 6), fixed(s.valAccuracy(), 6), fixed(s.seconds(), 3),
                fixed(s.imagesPerSecond(), 1));
    }

    /** One JSON object; NaN is {@code null}. */
    static String jsonLine(EpochStats s) {
        return "{\"epoch\":" + s.epoch() + ",\"lr\":" + json(num(s.lr())) + ",\"train_loss\":"
                + json(fixed(s.trainLoss(), 6)) + ",\"train_acc\":" + json(fixed(s.trainAccuracy(), 6))
                + ",\"val_loss\":" + json(fixed(s.valLoss(), 6)) + ",\"val_acc\":" + json(fixed(s.valAccuracy(), 6))
                + ",\"seconds\":" + json(fixed(s.seconds(), 3)) + ",\"images_per_s\":"
                + json(fixed(s.imagesPerSecond(), 1)) + "}";
    }

    private static String json(String v) {
        return v.isEmpty() ? "null" : v;
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    private static String fixed(double v, int digits) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : "";
    }

    private static void replace(Path target, String content) throws IOException {
        AtomicFiles.write(target, content.getBytes(StandardCharsets.UTF_8));
    }
}
