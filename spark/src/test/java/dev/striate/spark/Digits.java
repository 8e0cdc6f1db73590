package dev.striate.spark;

import dev.striate.data.Dataset;
import dev.striate.data.Mnist;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * Test images: the MNIST test set when `striate data mnist` has fetched it (10,000 images), else
 * a seeded stand-in of {@value #STAND_IN} images (blurred random strokes, so the model's outputs
 * vary), so that the tests need no network.
 */
final class Digits {
    static final int STAND_IN = 2000;
    final float[][] images;
    final int[] labels;
    final boolean mnist;

    private Digits(float[][] images, int[] labels, boolean mnist) {
        this.images = images;
        this.labels = labels;
        this.mnist = mnist;
    }

    static Digits load() {
        try {
            if (Mnist.isPresent(Mnist.defaultDirectory())) {
                Dataset test = Mnist.load().test();
                float[][] images = new float[test.size()][784];
                int[] labels = new int[test.size()];
                for (int i = 0; i < images.length; i++) {
                    test.copyImage(i, images[i], 0);
                    labels[i] = test.label(i);
                }
                return new Digits(images, labels, true);
            }
        } catch (IOException e) {
            // fall back to the stand-in
        }
        return standIn(STAND_IN, 7);
    }

    /** {@code n} seeded 28 x 28 images of a few random bright strokes on black, labels 0-9. */
    static Digits standIn(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] images = new float[n][784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < 3; s++) {
                int x = r.nextInt(4, 24);
                int y = r.nextInt(4, 24);
                int dx = r.nextInt(-1, 2);
                int dy = r.nextInt(-1, 2);
                for (int t = 0; t < 10; t++) {
                    int px = Math.floorMod(x + dx * t, 28);
                    int py = Math.floorMod(y + dy * t, 28);
                    images[i][py * 28 + px] = 255f;
                }
            }
            labels[i] = r.nextInt(10);
        }
        return new Digits(images, labels, false);
    }
}
