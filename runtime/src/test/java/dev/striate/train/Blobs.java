package dev.striate.train;

import dev.striate.data.FloatImageDataset;
import dev.striate.data.ImageShape;
import java.util.List;
import java.util.SplittableRandom;

/** A synthetic, separable data set for the loop's tests: one Gaussian blob per class in 8 dimensions. */
final class Blobs {
    static final ImageShape SHAPE = new ImageShape(1, 2, 4);

    private Blobs() {
    }

    /** {@code n} images of {@code classes} classes, seeded. */
    static FloatImageDataset of(int n, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = SHAPE.size();
        float[][] centers = new float[classes][d];
        for (float[] c : centers) {
            for (int i = 0; i < d; i++) {
                c[i] = (float) (rng.nextDouble() * 6 - 3);
            }
        }
        float[] pixels = new float[n * d];
        int[] labels = new int[n];
        for (int s = 0; s < n; s++) {
            int label = s % classes;
            labels[s] = label;
            for (int i = 0; i < d; i++) {
                pixels[s * d + i] = centers[label][i] + (float) (rng.nextGaussian() * 0.5);
            }
        }
        String[] names = new String[classes];
        for (int c = 0; c < classes; c++) {
            names[c] = "c" + c;
        }
        return new FloatImageDataset(SHAPE, pixels, labels, List.of(names));
    }
}
