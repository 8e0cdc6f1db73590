package dev.striate.train;

import dev.striate.data.Shuffle;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Image-to-image training ({@link Targets#IMAGES}): the loss compares the model's output with the
 * image it was given, as an autoencoder is trained, or, with noise, with the clean image the model
 * got a noisy copy of (a denoising autoencoder). The target of a sample is its input image
 * (normalized and augmented as the run says) times {@code scale}; with {@code noiseStd > 0} the
 * model's input is that image plus seeded Gaussian noise of standard deviation {@code noiseStd},
 * clamped to {@code [noiseMin, noiseMax]} (infinite bounds: no clamp). The noise of an image is a
 * function of the run's seed, the epoch and the image's index in the data set only, so a run is
 * reproducible whatever the threads, slices or resume point; evaluation draws it with epoch
 * {@code -1}, the same for every evaluation.
 *
 * @param scale    multiplies the input image to give the target (e.g. {@code 1/255} when the model
 *                 rescales its 0..255 input itself); finite and non-zero
 * @param noiseStd the standard deviation of the input noise, finite and {@code >= 0} (0: none)
 * @param noiseMin the lower clamp of a noisy input (may be {@code -Infinity})
 * @param noiseMax the upper clamp of a noisy input (may be {@code +Infinity}), {@code > noiseMin}
 */
public record ImageTargets(double scale, double noiseStd, double noiseMin, double noiseMax)
        implements java.io.Serializable {
    private static final long NOISE = 0x4E4F495345L;
    /** Epoch number used for noise drawn while evaluating. */
    static final int EVALUATION_EPOCH = -1;

    /** Checks the values. */
    public ImageTargets {
        if (!Double.isFinite(scale) || scale == 0 || !Float.isFinite((float) scale) || (float) scale == 0) {
            throw new IllegalArgumentException("the target scale must be a finite non-zero float, got " + scale);
        }
        if (!(noiseStd >= 0) || !Float.isFinite((float) noiseStd)) {
            throw new IllegalArgumentException("the noise standard deviation must be finite and >= 0, got "
                    + noiseStd);
        }
        if (Double.isNaN(noiseMin) || Double.isNaN(noiseMax) || !(noiseMin < noiseMax)) {
            throw new IllegalArgumentException("the noise bounds must satisfy min < max, got [" + noiseMin + ", "
                    + noiseMax + "]");
        }
    }

    /** Targets equal to the input images times {@code scale}, no noise. */
    public static ImageTargets of(double scale) {
        return new ImageTargets(scale, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** Whether inputs get noise. */
    public boolean noisy() {
        return noiseStd > 0;
    }

    /**
     * Writes the targets of {@code m} images of {@code size} floats from {@code inputs} into
     * {@code dense}, then, when noisy, adds the noise to {@code inputs} in place; image {@code i}
     * is the data set's image {@code indices[first + i]}.
     */
    void prepare(float[] inputs, float[] dense, int m, int size, long seed, int epoch, int[] indices, int first) {
        float s = (float) scale;
        for (int i = 0; i < m * size; i++) {
            dense[i] = inputs[i] * s;
        }
        if (!noisy()) {
            return;
        }
        float lo = (float) noiseMin;
        float hi = (float) noiseMax;
        for (int i = 0; i < m; i++) {
            SplittableRandom r = new SplittableRandom(Shuffle.seed(seed ^ NOISE, epoch, indices[first + i]));
            for (int j = i * size, end = j + size; j < end; j++) {
                float v = inputs[j] + (float) (noiseStd * r.nextGaussian());
                inputs[j] = Math.min(hi, Math.max(lo, v));
            }
        }
    }

    /**
     * The inputs and targets evaluation gives the model for {@code m} images of {@code size} floats
     * (the data set's images {@code indices[first..first + m)}, normalized as the run normalizes them, in
     * {@code inputs}): what {@code striate evaluate} and the trainer's test evaluation compute
     * ({@link #prepare} with the evaluation's epoch and {@code seed}, the train block's seed), so
     * that a picture of a denoising model's input shows the noise its evaluation drew.
     */
    public void prepareEvaluation(float[] inputs, float[] targets, int m, int size, long seed, int[] indices, int first) {
        if (m < 0 || first < 0 || indices.length - first < m || (long) m * size > inputs.length
                || (long) m * size > targets.length) {
            throw new IllegalArgumentException(m + " images of " + size + " floats for " + inputs.length + " inputs, "
                    + targets.length + " targets and " + indices.length + " indices from " + first);
        }
        prepare(inputs, targets, m, size, seed, EVALUATION_EPOCH, indices, first);
    }

    @Override
    public String toString() {
        String t = String.format(Locale.ROOT, "image x %s", Double.toString(scale));
        return noisy() ? t + String.format(Locale.ROOT, ", noise gaussian(std=%s, min=%s, max=%s)",
                Double.toString(noiseStd), Double.toString(noiseMin), Double.toString(noiseMax)) : t;
    }
}
