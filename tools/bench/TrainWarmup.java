import dev.striate.data.ByteImageDataset;
import dev.striate.data.ImageShape;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.passes.BindWeights;
import dev.striate.passes.InitWeights;
import dev.striate.train.TrainableModel;
import dev.striate.train.Trainer;
import dev.striate.train.TrainingConfig;
import dev.striate.train.loss.SoftmaxCrossEntropy;
import dev.striate.training.ModelRecipe;
import dev.striate.training.TrainSettings;
import dev.striate.training.TrainingRun;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How fast the training loop reaches full speed (a benchmark, not a test): the real training loop
 * ({@link Trainer}) on random images, printing for every window of {@code window} batches from
 * the first one the bytes all threads allocated per batch (load-independent: a vector operation
 * that runs in the interpreter or C1 boxes its vectors, C2 code allocates next to nothing) and the
 * wall time per batch. The time from the trainer's construction to the first batch is printed
 * too (it includes any warm-up the trainer does).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp cli/target/striate-cli.jar tools/bench/TrainWarmup.java \
 *     tools/bench/fashion_cnn.cnn [threads] [batch] [batches] [window]
 * </pre>
 */
public final class TrainWarmup {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        long sum = 0;
        for (long b : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int batches = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        int window = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        ModelRecipe recipe = ModelRecipe.load(model, null, new Diagnostics());
        TrainSettings settings = recipe.settings().withBatch(batch);
        Graph graph = recipe.graph();
        Graph bound = BindWeights.run(graph, InitWeights.run(graph, 1), new SourcePos("bench", 1, 1), new Diagnostics());
        TrainableModel trainable = TrainingRun.load(bound, new SoftmaxCrossEntropy());
        int n = batch * 100;
        ImageShape shape = recipe.inputShape();
        byte[] pixels = new byte[n * shape.size()];
        int[] labels = new int[n];
        Random r = new Random(3);
        r.nextBytes(pixels);
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(recipe.classes());
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < recipe.classes(); c++) {
            names.add(Integer.toString(c));
        }
        ByteImageDataset data = new ByteImageDataset(shape, pixels, labels, names);
        int epochs = (batches + 99) / 100;
        long[] stamps = new long[epochs * 100 + 1];
        long[] bytes = new long[epochs * 100 + 1];
        int[] count = {0};
        TrainingConfig config = TrainingConfig.builder()
                .epochs(epochs).batchSize(batch).threads(threads).seed(1)
                .optimizer(settings.optimizer().supplier(settings.l1(), settings.l2()))
                .progress(null)
                .listener((e, b, loss) -> {
                    int i = ++count[0];
                    stamps[i] = System.nanoTime();
                    bytes[i] = allocated();
                })
                .build();
        bytes[0] = allocated();
        stamps[0] = System.nanoTime();
        new Trainer(trainable, new SoftmaxCrossEntropy(), config).train(data);
        System.out.printf(Locale.ROOT, "first batch done after %.0f ms%n", (stamps[1] - stamps[0]) / 1e6);
        for (int from = 1; from + window <= count[0]; from += window) {
            System.out.printf(Locale.ROOT, "batches %4d-%4d: %10d bytes/batch %8.2f ms/batch%n", from + 1, from + window,
                    (bytes[from + window] - bytes[from]) / window, (stamps[from + window] - stamps[from]) / 1e6 / window);
        }
    }
}
