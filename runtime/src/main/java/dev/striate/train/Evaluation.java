package dev.striate.train;

import java.util.Locale;

/**
 * The result of evaluating a model on a data set: the confusion matrix (and the accuracies it
 * gives) and the mean loss when a loss was given.
 *
 * @param matrix the counts of (actual, predicted) classes
 * @param loss the mean loss over the samples, NaN when no loss was given
 */
public record Evaluation(ConfusionMatrix matrix, double loss) {

    /** The fraction of samples classified correctly. */
    public double accuracy() {
        return matrix.accuracy();
    }

    /** A printable report: a summary line, the per-class table and the confusion matrix. */
    public String report() {
        if (matrix.total() == 0 && !Double.isNaN(loss)) {
            // image targets: no classes, the loss is the reconstruction error
            return String.format(Locale.ROOT, "loss %.6f (no classes: image targets)", loss);
        }
        StringBuilder out = new StringBuilder();
        out.append("accuracy ").append(ConfusionMatrix.percent(accuracy()))
                .append(" (").append(matrix.correct()).append('/').append(matrix.total()).append(')');
        if (!Double.isNaN(loss)) {
            out.append(String.format(Locale.ROOT, ", loss %.4f", loss));
        }
        out.append("\n\n").append(matrix.format());
        return out.toString();
    }
}
