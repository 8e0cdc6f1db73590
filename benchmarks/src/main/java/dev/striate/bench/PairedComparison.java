package dev.striate.bench;

import dev.striate.ir.Graph;
import dev.striate.passes.Pass;
import dev.striate.passes.PassPipeline;
import java.util.Arrays;
import java.util.Random;

/**
 * A complement to {@link PredictBenchmark} for busy machines: loads the optimized and the
 * unoptimized build of a model into one JVM and times them in alternating rounds (each round
 * runs both for the same wall-clock budget), so that a change in machine load hits both alike.
 * Prints the median time per prediction of each and the median of the per-round ratios.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.striate.bench.PairedComparison [model...]</pre>
 */
public final class PairedComparison {
    private static final int WARMUP_ROUNDS = 10;
    private static final int ROUNDS = 40;
    private static final long ROUND_NANOS = 100_000_000L;

    private PairedComparison() {
    }

    public static void main(String[] args) {
        String[] models = args.length > 0 ? args
                : new String[] {"lenet5", "mnist_cnn", "mnist_cnn_layers", "tiny_resnet"};
        System.out.printf("%-18s %14s %14s %10s%n", "model", "optimized us", "unoptimized us", "speed-up");
        for (String model : models) {
            Graph graph = BenchModels.load(model);
            GeneratedModel fast = GeneratedModel.of(PassPipeline.standard().run(graph, Pass.Mode.INFERENCE, null),
                    "Optimized");
            GeneratedModel slow = GeneratedModel.of(graph, "Unoptimized");
            float[] in = new float[fast.inputSize()];
            Random random = new Random(42);
            for (int i = 0; i < in.length; i++) {
                in[i] = random.nextFloat();
            }
            float[] out = new float[fast.outputSize()];
            double[] a = new double[ROUNDS];
            double[] b = new double[ROUNDS];
            double[] ratio = new double[ROUNDS];
            for (int r = -WARMUP_ROUNDS; r < ROUNDS; r++) {
                double ta = perOp(fast, in, out);
                double tb = perOp(slow, in, out);
                if (r >= 0) {
                    a[r] = ta;
                    b[r] = tb;
                    ratio[r] = tb / ta;
                }
            }
            System.out.printf("%-18s %14.1f %14.1f %9.2fx%n", model, median(a) / 1e3, median(b) / 1e3, median(ratio));
        }
    }

    /** Nanoseconds per prediction over one round. */
    private static double perOp(GeneratedModel m, float[] in, float[] out) {
        long start = System.nanoTime();
        long ops = 0;
        long now;
        do {
            m.predict(in, out);
            ops++;
            now = System.nanoTime();
        } while (now - start < ROUND_NANOS);
        return (double) (now - start) / ops;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
