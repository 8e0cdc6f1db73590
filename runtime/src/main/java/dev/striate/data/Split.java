package dev.striate.data;

import java.util.Arrays;

/**
 * A data set divided into a training part and a validation part with no image in both.
 *
 * @param train the images to train on
 * @param validation the held-out images
 */
public record Split(Dataset train, Dataset validation) {
    /**
     * A seeded random split: {@code round(size * fraction)} images, chosen by a permutation of
     * {@code seed}, go to validation; both parts keep the original order of their images.
     */
    public static Split random(Dataset dataset, double validationFraction, long seed) {
        int[][] parts = randomIndices(dataset.size(), validationFraction, seed);
        return new Split(dataset.subset(parts[0]), dataset.subset(parts[1]));
    }

    /**
     * The indices {@link #random} puts in each part of a data set of {@code size} images:
     * {@code [0]} the training images', {@code [1]} the validation images', both ascending (for a
     * program that splits data it does not hold as a {@link Dataset}, such as a Spark DataFrame).
     */
    public static int[][] randomIndices(int size, double validationFraction, long seed) {
        int count = count(size, validationFraction);
        int[] p = Shuffle.permutation(size, seed);
        int[] train = Arrays.copyOfRange(p, 0, p.length - count);
        int[] validation = Arrays.copyOfRange(p, p.length - count, p.length);
        Arrays.sort(train);
        Arrays.sort(validation);
        return new int[][] {train, validation};
    }

    /** Keras' {@code validation_split}: the last {@code round(size * fraction)} images are for validation. */
    public static Split tail(Dataset dataset, double validationFraction) {
        int n = dataset.size();
        int count = count(n, validationFraction);
        int[] train = new int[n - count];
        int[] validation = new int[count];
        Arrays.setAll(train, i -> i);
        Arrays.setAll(validation, i -> n - count + i);
        return new Split(dataset.subset(train), dataset.subset(validation));
    }

    private static int count(int n, double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in [0, 1), got " + fraction);
        }
        return (int) Math.round(n * fraction);
    }
}
