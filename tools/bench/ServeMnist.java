import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Serving figures of generated MNIST classifiers (docs/serving.md): the test-set accuracy of each class,
 * the bytes one more instance allocates ({@code load()} after the first call: the instance's buffers, the
 * weights being shared), and batch-1 latency of every class against the first, alternating in one JVM.
 * Each class is used only as a {@code UnaryOperator<float[]>} (what every generated class implements), so
 * single models and ensembles are handled alike. Pixels are fed as the IDX files hold them, 0..255 (the
 * models scale them with their own {@code rescale} layer).
 *
 * <pre>
 * java -cp classes [-Drounds=21] [-DroundMs=200] tools/bench/ServeMnist.java ~/.cache/striate/mnist \
 *     com.example.CommitteeMember1 com.example.CommitteeMember2 com.example.CommitteeMember3 com.example.Committee
 * </pre>
 * Latency: each round times every class for about {@code roundMs} of thread CPU time on back-to-back
 * calls over test images, the order rotating every round; the figure per class is the median of its
 * per-round mean, reported with its ratio to the first class.
 */
public final class ServeMnist {
    private ServeMnist() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        float[][] images = images(data.resolve("t10k-images-idx3-ubyte"));
        int[] labels = labels(data.resolve("t10k-labels-idx1-ubyte"));
        int n = args.length - 1;
        List<UnaryOperator<float[]>> models = new ArrayList<>();
        String[] names = new String[n];
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < n; i++) {
            Class<?> c = Class.forName(args[i + 1]);
            names[i] = c.getSimpleName();
            models.add(load(c));
            long before = threads.getCurrentThreadAllocatedBytes();
            Object another = c.getMethod("load").invoke(null);
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            System.out.printf("%-20s instance: %,d bytes allocated by load() after the first (%s)%n", names[i], bytes,
                    another.getClass().getSimpleName());
        }
        for (int i = 0; i < n; i++) {
            int correct = 0;
            for (int k = 0; k < images.length; k++) {
                correct += argmax(models.get(i).apply(images[k])) == labels[k] ? 1 : 0;
            }
            System.out.printf("%-20s test accuracy %.2f%% (%d/%d)%n", names[i], 100.0 * correct / images.length,
                    correct, images.length);
        }
        int rounds = Integer.getInteger("rounds", 21);
        long roundNs = Long.getLong("roundMs", 200L) * 1_000_000L;
        double[][] means = new double[n][rounds];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            time(models.get(i), images, next, i, 1_000_000_000L);   // warm-up (C2)
        }
        for (int r = 0; r < rounds; r++) {
            for (int j = 0; j < n; j++) {
                int i = (j + r) % n;
                means[i][r] = time(models.get(i), images, next, i, roundNs);
            }
        }
        double base = median(means[0]);
        for (int i = 0; i < n; i++) {
            double m = median(means[i]);
            System.out.printf("%-20s batch-1 latency %.3f ms (median of %d rounds), %.2fx %s%n", names[i], m / 1e6,
                    rounds, m / base, names[0]);
        }
    }

    @SuppressWarnings("unchecked")
    private static UnaryOperator<float[]> load(Class<?> c) throws ReflectiveOperationException {
        return (UnaryOperator<float[]>) c.getMethod("load").invoke(null);
    }

    /** Mean thread CPU nanoseconds per call over calls for about {@code budget} ns. */
    private static double time(UnaryOperator<float[]> model, float[][] images, int[] next, int i, long budget) {
        java.lang.management.ThreadMXBean t = ManagementFactory.getThreadMXBean();
        long start = t.getCurrentThreadCpuTime();
        long calls = 0;
        long now;
        do {
            for (int k = 0; k < 16; k++) {
                model.apply(images[next[i]]);
                next[i] = (next[i] + 1) % images.length;
            }
            calls += 16;
            now = t.getCurrentThreadCpuTime();
        } while (now - start < budget);
        return (double) (now - start) / calls;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static int argmax(float[] y) {
        int best = 0;
        for (int k = 1; k < y.length; k++) {
            best = y[k] > y[best] ? k : best;
        }
        return best;
    }

    private static float[][] images(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); DataInputStream d = new DataInputStream(in)) {
            if (d.readInt() != 0x803) {
                throw new IOException(file + ": not an IDX image file");
            }
            int count = d.readInt();
            int size = d.readInt() * d.readInt();
            byte[] all = d.readNBytes(count * size);
            float[][] images = new float[count][size];
            for (int i = 0; i < count; i++) {
                for (int p = 0; p < size; p++) {
                    images[i][p] = all[i * size + p] & 0xff;
                }
            }
            return images;
        }
    }

    private static int[] labels(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); DataInputStream d = new DataInputStream(in)) {
            if (d.readInt() != 0x801) {
                throw new IOException(file + ": not an IDX label file");
            }
            byte[] b = d.readNBytes(d.readInt());
            int[] labels = new int[b.length];
            for (int i = 0; i < b.length; i++) {
                labels[i] = b[i] & 0xff;
            }
            return labels;
        }
    }
}
