package dev.striate.data;

import java.util.Arrays;

/**
 * Per-channel normalization of pixel values, {@code x' = (x - mean[c]) / std[c]}, in float, like
 * torchvision's {@code Normalize}. {@link #rescale(double)} divides by a constant (Keras'
 * {@code Rescaling(1/255)} is {@code rescale(255)}); {@link #afterRescale} folds a rescale and a
 * mean/std given in the rescaled range into one (MNIST's usual {@code /255} then
 * {@code (x - 0.1307) / 0.3081}); {@link #fit} measures the mean and standard deviation of a data set.
 */
public final class Normalization implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final float[] mean;
    private final float[] std;

    private Normalization(float[] mean, float[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("need one mean and one std per channel, got " + mean.length
                    + " means and " + std.length + " stds");
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || Float.isInfinite(std[c]) || !Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("channel " + c + ": std must be positive and finite and mean finite, got mean "
                        + mean[c] + ", std " + std[c]);
            }
        }
        this.mean = mean;
        this.std = std;
    }

    /** Subtract {@code mean[c]} and divide by {@code std[c]}, one pair per channel. */
    public static Normalization of(double[] mean, double[] std) {
        return new Normalization(toFloat(mean), toFloat(std));
    }

    /** Divide every value by {@code divisor} (e.g. 255 to map bytes to {@code [0, 1]}), any number of channels. */
    public static Normalization rescale(double divisor) {
        return new Normalization(new float[] {0f}, new float[] {(float) divisor});
    }

    /** Divide by {@code divisor}, then subtract {@code mean[c]} and divide by {@code std[c]}, as one step. */
    public static Normalization afterRescale(double divisor, double[] mean, double[] std) {
        double[] m = new double[mean.length];
        double[] s = new double[std.length];
        for (int c = 0; c < m.length; c++) {
            m[c] = mean[c] * divisor;
        }
        for (int c = 0; c < s.length; c++) {
            s[c] = std[c] * divisor;
        }
        return of(m, s);
    }

    /**
     * The per-channel mean and population standard deviation of every pixel of {@code dataset}
     * (accumulated in double, in image order).
     */
    public static Normalization fit(Dataset dataset) {
        ImageShape shape = dataset.shape();
        int channels = shape.channels();
        int plane = shape.plane();
        double[] sum = new double[channels];
        double[] sq = new double[channels];
        float[] img = new float[shape.size()];
        for (int i = 0; i < dataset.size(); i++) {
            dataset.copyImage(i, img, 0);
            for (int c = 0; c < channels; c++) {
                for (int k = c * plane; k < (c + 1) * plane; k++) {
                    sum[c] += img[k];
                    sq[c] += (double) img[k] * img[k];
                }
            }
        }
        double n = (double) dataset.size() * plane;
        if (n == 0) {
            throw new IllegalArgumentException("cannot fit a normalization to an empty data set");
        }
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = sum[c] / n;
            std[c] = Math.sqrt(Math.max(0, sq[c] / n - mean[c] * mean[c]));
        }
        return of(mean, std);
    }

    /** The per-channel means (one value when it applies to every channel). */
    public float[] mean() {
        return mean.clone();
    }

    /** The per-channel standard deviations (one value when it applies to every channel). */
    public float[] std() {
        return std.clone();
    }

    /** Normalizes one image in place, {@code values[offset .. offset + C*H*W)}. */
    public void apply(float[] values, int offset, ImageShape shape) {
        if (mean.length != 1 && mean.length != shape.channels()) {
            throw new IllegalArgumentException("normalization for " + mean.length + " channels applied to images "
                    + shape);
        }
        int plane = shape.plane();
        for (int c = 0; c < shape.channels(); c++) {
            float m = mean[mean.length == 1 ? 0 : c];
            float s = std[std.length == 1 ? 0 : c];
            int start = offset + c * plane;
            for (int k = start; k < start + plane; k++) {
                values[k] = (values[k] - m) / s;
            }
        }
    }

    private static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
