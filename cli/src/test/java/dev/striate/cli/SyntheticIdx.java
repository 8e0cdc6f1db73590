package dev.striate.cli;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A tiny seeded IDX data set in MNIST's file layout: 8x8 gray images of a bright bar on a noisy
 * background, label 0 for a horizontal bar and 1 for a vertical one.
 */
final class SyntheticIdx {
    static final int SIDE = 8;

    /** A model for it, with a train block. */
    static final String MODEL = """
            model Bars {
                input image: [1, 8, 8]
                rescale(1/255)
                conv2d(4, kernel=3, padding=1, activation=relu)
                maxpool(2)
                flatten
                dense(2, activation=softmax)
                labels ["horizontal", "vertical"]
            }

            train Bars {
                loss = crossentropy
                optimizer = sgd(lr=0.05, momentum=0.9)
                batch = 16
                epochs = 3
                seed = 7
            }
            """;

    private SyntheticIdx() {
    }

    /** Writes {@code train} training and {@code test} test images into {@code dir}. */
    static void write(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(5);
        write(dir, "train", train, r);
        write(dir, "t10k", test, r);
    }

    private static void write(Path dir, String prefix, int n, Random r) throws IOException {
        byte[] pixels = new byte[n * SIDE * SIDE];
        byte[] labels = new byte[n];
        for (int s = 0; s < n; s++) {
            int label = r.nextInt(2);
            int at = r.nextInt(SIDE);
            labels[s] = (byte) label;
            for (int i = 0; i < SIDE * SIDE; i++) {
                boolean on = label == 1 ? i % SIDE == at : i / SIDE == at;
                int v = (on ? 200 : 30) + (int) (25 * r.nextGaussian());
                pixels[s * SIDE * SIDE + i] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte")))) {
            out.writeInt(0x803);
            out.writeInt(n);
            out.writeInt(SIDE);
            out.writeInt(SIDE);
            out.write(pixels);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte")))) {
            out.writeInt(0x801);
            out.writeInt(n);
            out.write(labels);
        }
    }
}
