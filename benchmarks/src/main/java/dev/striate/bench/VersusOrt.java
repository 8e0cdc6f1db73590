package dev.striate.bench;

import dev.striate.ir.Graph;
import dev.striate.passes.Pass;
import dev.striate.passes.PassPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Striate against ONNX Runtime in one JVM, on the same weights: for each model, the generated
 * classifier (standard passes) and an {@link OrtModel} session on the model's ONNX export
 * ({@code tools/bench/export_onnx.py}, from the fixture's weights) run on the same batch-1
 * input, are checked to agree within 1e-4, then timed in alternating rounds of equal
 * wall-clock time. Prints a table and one {@code RESULT} line per implementation and model
 * (read by {@code tools/bench/inference.sh}).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.striate.bench.VersusOrt [--onnx DIR] [--rounds N] [model...]</pre>
 *
 * The ONNX directory defaults to {@code ${XDG_CACHE_HOME:-~/.cache}/striate/onnx}.
 */
public final class VersusOrt {
    private static final int WARMUP_ROUNDS = 10;
    private static final long ROUND_NANOS = 100_000_000L;
    private static final float TOLERANCE = 1e-4f;

    private VersusOrt() {
    }

    public static void main(String[] args) throws Exception {
        Path onnxDir = defaultOnnxDir();
        int rounds = 40;
        List<String> models = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--onnx")) {
                onnxDir = Path.of(args[++i]);
            } else if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[++i]);
            } else {
                models.add(args[i]);
            }
        }
        if (models.isEmpty()) {
            models = List.of("lenet5", "mnist_cnn", "tiny_resnet");
        }
        System.out.printf("%-14s %12s %12s %12s %12s%n", "model", "striate us", "ort us", "ort/striate", "max |diff|");
        for (String model : models) {
            Path onnx = onnxDir.resolve(model + ".onnx");
            if (!Files.isRegularFile(onnx)) {
                throw new IllegalStateException("no " + onnx + ": run /usr/bin/python3 tools/bench/export_onnx.py");
            }
            Graph graph = PassPipeline.standard().run(BenchModels.load(model), Pass.Mode.INFERENCE, null);
            GeneratedModel striate = GeneratedModel.of(graph, "Striate");
            long[] inShape = shape(graph.inputs().get(0).shape().dims());
            long[] outShape = shape(graph.node(graph.outputs().get(0)).shape().dims());
            try (OrtModel ort = new OrtModel(onnx, inShape, outShape)) {
                float[] in = new float[striate.inputSize()];
                Random random = new Random(42);
                for (int i = 0; i < in.length; i++) {
                    in[i] = random.nextFloat();
                }
                float[] a = new float[striate.outputSize()];
                float[] b = new float[striate.outputSize()];
                striate.predict(in, a);
                ort.predict(in, b);
                double diff = maxDiff(a, b);
                if (!(diff <= TOLERANCE)) {
                    throw new IllegalStateException(model + ": Striate and ONNX Runtime differ by " + diff
                            + "\n striate " + Arrays.toString(a) + "\n ort     " + Arrays.toString(b));
                }
                double[] ts = new double[rounds];
                double[] to = new double[rounds];
                double[] ratio = new double[rounds];
                for (int r = -WARMUP_ROUNDS; r < rounds; r++) {
                    double s = perOp(() -> striate.predict(in, a));
                    double o = perOp(() -> ort.predict(in, b));
                    if (r >= 0) {
                        ts[r] = s;
                        to[r] = o;
                        ratio[r] = o / s;
                    }
                }
                diff = Math.max(diff, maxDiff(a, b));
                System.out.printf("%-14s %12.1f %12.1f %11.2fx %12.2g%n", model, median(ts) / 1e3, median(to) / 1e3,
                        median(ratio), diff);
                System.out.printf("RESULT impl=striate model=%s median_us=%.2f rounds=%d%n", model, median(ts) / 1e3,
                        rounds);
                System.out.printf("RESULT impl=ort model=%s median_us=%.2f rounds=%d ratio_ort_striate=%.3f%n", model,
                        median(to) / 1e3, rounds, median(ratio));
            }
        }
    }

    private static Path defaultOnnxDir() {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isEmpty() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("striate").resolve("onnx");
    }

    private static long[] shape(int[] dims) {
        long[] s = new long[dims.length + 1];
        s[0] = 1;
        for (int i = 0; i < dims.length; i++) {
            s[i + 1] = dims[i];
        }
        return s;
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
            if (Float.isNaN(a[i]) || Float.isNaN(b[i])) {
                return Double.NaN;
            }
        }
        return m;
    }

    /** Nanoseconds per prediction over one round. */
    private static double perOp(Runnable predict) {
        long start = System.nanoTime();
        long ops = 0;
        long now;
        do {
            predict.run();
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
