package dev.striate.train;

import java.util.List;
import java.util.Locale;

/**
 * Counts of (actual class, predicted class) pairs over a data set, with the accuracies they give
 * and a printable report: overall accuracy, a per-class table and the matrix itself, in aligned
 * columns. Rows are actual classes, columns predicted ones. Not thread-safe.
 *
 * <p>An empty matrix (or a class with no samples) has no accuracy: {@link #accuracy} and
 * {@link #classAccuracy} are NaN there and print as {@code -}, never as a 0% that would read as a
 * model that gets everything wrong.
 */
public final class ConfusionMatrix {
    private final List<String> classNames;
    private final long[][] counts;
    private long total;

    /** An empty matrix over the given classes (index = label). */
    public ConfusionMatrix(List<String> classNames) {
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("a confusion matrix needs at least one class");
        }
        this.classNames = List.copyOf(classNames);
        this.counts = new long[classNames.size()][classNames.size()];
    }

    /** Counts one sample of class {@code actual} predicted as {@code predicted}. */
    public void add(int actual, int predicted) {
        counts[index(actual)][index(predicted)]++;
        total++;
    }

    /** The class names, index = label. */
    public List<String> classNames() {
        return classNames;
    }

    /** The number of classes. */
    public int classCount() {
        return classNames.size();
    }

    /** How many samples of class {@code actual} were predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** The number of samples counted. */
    public long total() {
        return total;
    }

    /** The number of samples whose prediction was right. */
    public long correct() {
        long c = 0;
        for (int i = 0; i < counts.length; i++) {
            c += counts[i][i];
        }
        return c;
    }

    /** The number of samples of class {@code actual}. */
    public long support(int actual) {
        long s = 0;
        for (long v : counts[actual]) {
            s += v;
        }
        return s;
    }

    /** The fraction of samples predicted right, NaN when empty. */
    public double accuracy() {
        return total == 0 ? Double.NaN : (double) correct() / total;
    }

    /** The fraction of class {@code actual}'s samples predicted right (recall), NaN when it has none. */
    public double classAccuracy(int actual) {
        long s = support(actual);
        return s == 0 ? Double.NaN : (double) counts[actual][actual] / s;
    }

    /** The per-class table and the matrix, aligned, lines ending in {@code \n}. */
    public String format() {
        StringBuilder out = new StringBuilder();
        int nameWidth = "class".length();
        for (String n : classNames) {
            nameWidth = Math.max(nameWidth, n.length());
        }
        out.append(pad("class", nameWidth, false)).append("  images  correct  accuracy\n");
        for (int c = 0; c < classCount(); c++) {
            out.append(pad(classNames.get(c), nameWidth, false))
                    .append(pad(Long.toString(support(c)), 8, true))
                    .append(pad(Long.toString(counts[c][c]), 9, true))
                    .append(pad(percent(classAccuracy(c)), 10, true)).append('\n');
        }
        out.append("\nconfusion matrix (rows: actual, columns: predicted)\n");
        int cell = 1;
        for (int c = 0; c < classCount(); c++) {
            cell = Math.max(cell, classNames.get(c).length());
            for (long v : counts[c]) {
                cell = Math.max(cell, Long.toString(v).length());
            }
        }
        out.append(pad("", nameWidth, false));
        for (String n : classNames) {
            out.append(' ').append(pad(n, cell + 1, true));
        }
        out.append('\n');
        for (int c = 0; c < classCount(); c++) {
            out.append(pad(classNames.get(c), nameWidth, false));
            for (long v : counts[c]) {
                out.append(' ').append(pad(Long.toString(v), cell + 1, true));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** {@code 97.25%}, or {@code -} for NaN. */
    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.2f%%", fraction * 100);
    }

    private int index(int c) {
        if (c < 0 || c >= counts.length) {
            throw new IllegalArgumentException("class " + c + " is not in [0, " + counts.length + ")");
        }
        return c;
    }

    private static String pad(String s, int width, boolean right) {
        if (s.length() >= width) {
            return s;
        }
        String spaces = " ".repeat(width - s.length());
        return right ? spaces + s : s + spaces;
    }
}
