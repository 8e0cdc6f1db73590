package dev.striate.train.metrics;

import java.util.List;
import java.util.Locale;

/**
 * Counts of (actual class, predicted class) pairs over a data set, with the overall accuracy, the
 * accuracy of each class (its recall) and a text table. Rows are actual classes, columns
 * predicted ones. Not thread-safe: merge per-thread matrices with {@link #add(ConfusionMatrix)}.
 */
public final class ConfusionMatrix {
    private final int classes;
    private final long[] counts;

    /** An empty matrix for {@code classes} classes. */
    public ConfusionMatrix(int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException("need at least one class, got " + classes);
        }
        this.classes = classes;
        this.counts = new long[classes * classes];
    }

    /** The number of classes. */
    public int classes() {
        return classes;
    }

    /** Records one sample of class {@code actual} predicted as {@code predicted}. */
    public void add(int actual, int predicted) {
        counts[index(actual) * classes + index(predicted)]++;
    }

    /** Records the arg-max prediction of each of {@code n} rows of scores against its label. */
    public void addBatch(float[] scores, int[] labels, int n) {
        int[] predicted = Accuracy.predictions(scores, n, classes);
        for (int i = 0; i < n; i++) {
            add(labels[i], predicted[i]);
        }
    }

    /** Adds every count of {@code other} (same number of classes) to this matrix. */
    public void add(ConfusionMatrix other) {
        if (other.classes != classes) {
            throw new IllegalArgumentException("cannot merge " + other.classes + " classes into " + classes);
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
    }

    /** How many samples of class {@code actual} were predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[index(actual) * classes + index(predicted)];
    }

    /** The number of samples recorded. */
    public long total() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }

    /** The number of samples whose prediction was right. */
    public long correct() {
        long sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += counts[c * classes + c];
        }
        return sum;
    }

    /** The fraction of samples predicted right (0 when empty). */
    public double accuracy() {
        long total = total();
        return total == 0 ? 0 : (double) correct() / total;
    }

    /** The number of samples whose actual class is {@code actual}. */
    public long support(int actual) {
        long sum = 0;
        for (int p = 0; p < classes; p++) {
            sum += counts[index(actual) * classes + p];
        }
        return sum;
    }

    /** The fraction of class {@code actual}'s samples predicted right (NaN when the class has none). */
    public double classAccuracy(int actual) {
        long support = support(actual);
        return support == 0 ? Double.NaN : (double) counts[actual * classes + actual] / support;
    }

    /**
     * The matrix as a fixed-width table: a header of predicted classes, one row per actual class
     * with its per-class accuracy; {@code labels} name the classes (null for their indices).
     */
    public String format(List<String> labels) {
        if (labels != null && labels.size() != classes) {
            throw new IllegalArgumentException(labels.size() + " labels for " + classes + " classes");
        }
        String[] names = new String[classes];
        int width = Long.toString(Math.max(1, maxCount())).length();
        int nameWidth = "actual".length();
        for (int c = 0; c < classes; c++) {
            names[c] = labels == null ? Integer.toString(c) : labels.get(c);
            width = Math.max(width, names[c].length());
            nameWidth = Math.max(nameWidth, names[c].length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(pad("actual", nameWidth));
        for (String name : names) {
            sb.append(' ').append(pad(name, width));
        }
        sb.append("  accuracy\n");
        for (int a = 0; a < classes; a++) {
            sb.append(pad(names[a], nameWidth));
            for (int p = 0; p < classes; p++) {
                sb.append(' ').append(pad(Long.toString(counts[a * classes + p]), width));
            }
            double acc = classAccuracy(a);
            sb.append("  ").append(Double.isNaN(acc) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * acc)).append('\n');
        }
        return sb.toString();
    }

    private long maxCount() {
        long max = 0;
        for (long c : counts) {
            max = Math.max(max, c);
        }
        return max;
    }

    private static String pad(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }

    private int index(int c) {
        if (c < 0 || c >= classes) {
            throw new IllegalArgumentException("class " + c + " is not in [0, " + classes + ")");
        }
        return c;
    }
}
