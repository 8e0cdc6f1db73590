package dev.striate.training;

import dev.striate.data.Dataset;
import dev.striate.data.Normalization;

/**
 * How training (and evaluation) data is normalized before it reaches the model, as a train block
 * says: {@code none} (the default: the model's own {@code rescale}/{@code normalize} layers do
 * it, and they are compiled into the classifier), {@code rescale(255)} (divide),
 * {@code standardize(mean, std, scale=1)} (divide by {@code scale}, then {@code (x - mean) / std},
 * one value or one per channel) or {@code fit} (measure mean and std on the training set).
 *
 * @param kind which normalization
 * @param divisor the divisor of {@code rescale} and {@code standardize}
 * @param mean the per-channel (or single) means of {@code standardize}
 * @param std the per-channel (or single) standard deviations of {@code standardize}
 */
public record NormalizeSpec(Kind kind, double divisor, double[] mean, double[] std) {
    /** No normalization outside the model. */
    public static final NormalizeSpec NONE = new NormalizeSpec(Kind.NONE, 1, null, null);

    /** The normalizations a train block may name. */
    public enum Kind {
        /** Nothing. */
        NONE,
        /** Divide by a constant. */
        RESCALE,
        /** Divide, then subtract a mean and divide by a standard deviation. */
        STANDARDIZE,
        /** Standardize with the training set's mean and standard deviation. */
        FIT
    }

    /** The normalization for images of {@code channels} channels, null for none; {@code train} is measured by {@code fit}. */
    public Normalization build(Dataset train, int channels) {
        return switch (kind) {
            case NONE -> null;
            case RESCALE -> Normalization.rescale(divisor);
            case STANDARDIZE -> Normalization.afterRescale(divisor, perChannel(mean, channels), perChannel(std, channels));
            case FIT -> Normalization.fit(train);
        };
    }

    private static double[] perChannel(double[] values, int channels) {
        if (values.length == channels) {
            return values;
        }
        if (values.length != 1) {
            throw new IllegalArgumentException("standardize gives " + values.length + " values but the images have "
                    + channels + (channels == 1 ? " channel" : " channels") + " (give one value, or one per channel)");
        }
        double[] out = new double[channels];
        java.util.Arrays.fill(out, values[0]);
        return out;
    }
}
