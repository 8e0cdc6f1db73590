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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Training throughput of a Striate model (a benchmark, not a test): the real training loop
 * ({@link Trainer}: seeded batches, the generated trainer's forward and backward on N worker
 * threads, gradient reduction, the optimizer of the model's train block) over 6,400 random
 * 28x28 byte images. Batches are timed in windows of 20 after a warm-up; prints the median
 * window's images per second and every window.
 *
 * <pre>
 * java -cp cli/target/striate-cli.jar tools/bench/TrainThroughput.java \
 *     [model.cnn] [threads] [batch] [batches] [slices]
 * </pre>
 */
public final class TrainThroughput {
    private static final int WINDOW = 20;

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args.length > 0 ? args[0] : "examples/mnist/seed_cnn.cnn");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int batches = args.length > 3 ? Integer.parseInt(args[3]) : 400;
        int slices = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        int warmup = 60;

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

        int epochs = (batches + warmup + 99) / 100;
        long[] stamps = new long[epochs * 100 + 1];
        int[] count = {0};
        stamps[0] = System.nanoTime();
        TrainingConfig config = TrainingConfig.builder()
                .epochs(epochs).batchSize(batch).threads(threads).slices(slices).seed(1)
                .optimizer(settings.optimizer().supplier(settings.l1(), settings.l2()))
                .progress(null)
                .listener((e, b, loss) -> stamps[++count[0]] = System.nanoTime())
                .build();
        new Trainer(trainable, new SoftmaxCrossEntropy(), config).train(data);

        List<Double> rates = new ArrayList<>();
        for (int from = warmup; from + WINDOW <= count[0]; from += WINDOW) {
            double seconds = (stamps[from + WINDOW] - stamps[from]) / 1e9;
            rates.add(WINDOW * batch / seconds);
        }
        List<Double> sorted = new ArrayList<>(rates);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2);
        System.out.printf(Locale.ROOT, "striate %s: %d threads, %d slices, batch %d, %s: median %.0f images/s over %d windows "
                        + "of %d batches (min %.0f, max %.0f)%n", graph.name(), threads, slices, batch,
                settings.optimizer().describe(), median, rates.size(), WINDOW, sorted.get(0),
                sorted.get(sorted.size() - 1));
        System.out.println("RESULT striate " + Math.round(median));
    }
}
