import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts how many of MNIST's 10,000 test digits a generated classifier gets right, through the
 * shipped class only: {@code load()} and {@code classify(float[])}, raw pixels 0..255 in (the
 * bundled models rescale inside). Reads the IDX files itself, so nothing of Striate is on the
 * class path but the generated class. Used by {@code .ci/mnist-accuracy}.
 *
 * <pre>java -cp CLASSES tools/ci/MnistAccuracy.java CLASS MNIST_DIR EXPECTED_CORRECT</pre>
 *
 * Exits 1 unless exactly EXPECTED_CORRECT images are classified right (the documented figure).
 */
public final class MnistAccuracy {
    public static void main(String[] args) throws Exception {
        String className = args[0];
        Path dir = Path.of(args[1]);
        int expected = Integer.parseInt(args[2]);
        byte[][] images = readImages(dir.resolve("t10k-images-idx3-ubyte"));
        byte[] labels = readLabels(dir.resolve("t10k-labels-idx1-ubyte"));
        if (images.length != labels.length) {
            throw new IOException(images.length + " images but " + labels.length + " labels");
        }
        Class<?> type = Class.forName(className);
        Object model = type.getMethod("load").invoke(null);
        Method classify = type.getMethod("classify", float[].class);
        float[] input = new float[28 * 28];
        int correct = 0;
        for (int i = 0; i < images.length; i++) {
            for (int k = 0; k < input.length; k++) {
                input[k] = images[i][k] & 0xFF;
            }
            if ((int) classify.invoke(model, (Object) input) == labels[i]) {
                correct++;
            }
        }
        System.out.printf("%s: %d of %d test images right (%.2f%%), documented %d%n", className, correct,
                images.length, 100.0 * correct / images.length, expected);
        if (correct != expected) {
            System.out.println("MISMATCH: the committed weights, the generated class or the documented figure changed");
            System.exit(1);
        }
    }

    private static DataInputStream open(Path file, int magic) throws IOException {
        InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw));
        int found = in.readInt();
        if (found != magic) {
            in.close();
            throw new IOException(file + ": magic " + Integer.toHexString(found) + ", expected " + Integer.toHexString(magic));
        }
        return in;
    }

    private static byte[][] readImages(Path file) throws IOException {
        try (DataInputStream in = open(file, 0x803)) {
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows != 28 || cols != 28) {
                throw new IOException(file + ": " + rows + "x" + cols + " images, expected 28x28");
            }
            byte[][] images = new byte[n][rows * cols];
            for (byte[] image : images) {
                in.readFully(image);
            }
            return images;
        }
    }

    private static byte[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file, 0x801)) {
            byte[] labels = new byte[in.readInt()];
            in.readFully(labels);
            return labels;
        }
    }
}
