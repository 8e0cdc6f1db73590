package dev.striate.bench;

import ai.onnxruntime.OrtEnvironment;
import dev.striate.cli.ModelSummary;
import dev.striate.ir.Graph;
import dev.striate.passes.Pass;
import dev.striate.passes.PassPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The measurements of the inference table ({@code tools/bench/inference.sh}, which formats them):
 * for each model, in one JVM and on the same weights and inputs ({@link BenchData}), the
 * generated class in each variant ({@link Variants}), ONNX Runtime Java ({@link OrtModel}) and
 * PyTorch ({@link TorchWorker}, a child process driven in lock-step), all checked against
 * PyTorch's outputs before any timing, then timed in alternating rounds (each implementation
 * in turn runs calls for one round of {@code --round-ms}, at least one call; a change of machine
 * load hits all alike). Three configurations per model:
 * <ul>
 * <li>{@code b1}: batch 1, one thread: the class's {@code predict(float[], float[])}, ORT's full
 *     call on a batch-1 session, PyTorch on a [1, ...] tensor;</li>
 * <li>{@code b64t1}: a batch of 64 on one thread: the class's allocation-free
 *     {@code predictBatch(inputs, outputs)}, ORT on a batch-64 session with one intra-op thread,
 *     PyTorch with one thread;</li>
 * <li>{@code b64t2}: the same batch on two threads: the class's
 *     {@code predictBatch(inputs, outputs, executor, 2)} (the calling thread and one helper task on
 *     a one-thread pool), ORT with two intra-op threads, PyTorch with
 *     {@code torch.set_num_threads(2)}.</li>
 * </ul>
 * Before the rounds, each implementation's first calls are timed one by one on a fresh
 * instance (never called before) to find how many calls it needs to reach full speed, and the
 * time from {@code .cnn} to a loaded class is measured (in this warm JVM; {@code --compile-time}
 * measures it in a fresh one).
 *
 * <p>Output: machine-readable lines ({@code META}, {@code MODEL}, {@code COMPILE},
 * {@code WARMUP}, {@code TIME}, {@code RATIO}; key=value) on stdout, progress on stderr.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.striate.bench.InferenceTable
 *     [--rounds 20] [--min-rounds 3] [--cap-s 60] [--warmup 5] [--warmup-s 5] [--round-ms 100]
 *     [--trace-calls 20000] [--trace-s 15] [--python /usr/bin/python3 | --python none]
 *     [--configs b1,b64t1,b64t2] [model...]
 * java -cp benchmarks/target/benchmarks.jar dev.striate.bench.InferenceTable --compile-time MODEL VARIANT
 * java -cp benchmarks/target/benchmarks.jar dev.striate.bench.InferenceTable --variants   (prints the selected variants)
 * </pre>
 * Variants: {@code -Dstriate.bench.variants=auto|scalar|scalar,vector}.
 */
public final class InferenceTable {
    /**
     * A call is at full speed when the median of the next {@value} calls is within 10% of the steady median.
     * The trace and the rounds time calls alike (a {@code System.nanoTime()} pair around each, some 25 ns
     * against calls of 10 µs and more), so the rounds' median is the trace's own limit. The default trace
     * cap is 20000 calls because a µs-scale class reaches that limit only when HotSpot's C2 compiles its
     * once-per-call methods ({@code predict}, {@code run}, the per-layer methods), which have no loops and
     * so wait for the 5000-invocation threshold (benchmarks/README.md, "Calls to full speed").
     */
    private static final int SPEED_WINDOW = 10;
    private static final double FULL_SPEED = 1.10;

    /** Option names and defaults, in pairs. */
    private static final String[] DEFAULTS = {"rounds", "20", "min-rounds", "3", "cap-s", "60", "warmup", "5",
        "warmup-s", "5", "round-ms", "100", "trace-calls", "20000", "trace-s", "15", "python", "/usr/bin/python3",
        "configs", "b1,b64t1,b64t2"};

    private final Map<String, String> options = new LinkedHashMap<>();
    private final String jdk = Integer.toString(Runtime.version().feature());

    private InferenceTable() {
        for (int i = 0; i < DEFAULTS.length; i += 2) {
            options.put(DEFAULTS[i], DEFAULTS[i + 1]);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--compile-time")) {
            new InferenceTable().compile(args[1], args[2], "cold");
            return;
        }
        if (args.length == 1 && args[0].equals("--variants")) {
            try {
                System.out.println(String.join(" ", Variants.selected()));
            } catch (IllegalArgumentException | IllegalStateException e) {
                System.err.println(e.getMessage());
                System.exit(1);
            }
            return;
        }
        InferenceTable table = new InferenceTable();
        List<String> models = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                String key = args[i].substring(2);
                if (!table.options.containsKey(key) || i + 1 == args.length) {
                    throw new IllegalArgumentException("unknown option or missing value: " + args[i]
                            + " (options: " + table.options.keySet() + ")");
                }
                table.options.put(key, args[++i]);
            } else {
                models.add(args[i]);
            }
        }
        table.run(models.isEmpty() ? BenchModels.INFERENCE : models);
    }

    private int intOption(String key) {
        return Integer.parseInt(options.get(key));
    }

    private double doubleOption(String key) {
        return Double.parseDouble(options.get(key));
    }

    private void run(List<String> models) throws Exception {
        List<String> variants = Variants.selected();
        boolean torch = !options.get("python").equals("none");
        System.out.printf("META jdk=%s vm=%s ort=%s variants=%s torch=%s vector_available=%s options=%s%n",
                jdk, Runtime.version(), OrtEnvironment.getEnvironment().getVersion(), String.join(",", variants),
                torch, Variants.vectorAvailable(), options.toString().replace(" ", ""));
        ExecutorService helper = Executors.newFixedThreadPool(1, r -> {
            Thread t = new Thread(r, "striate-batch-helper");
            t.setDaemon(true);
            return t;
        });
        try (TorchWorker worker = torch ? TorchWorker.start(options.get("python"), repository()) : null) {
            for (String model : models) {
                measure(model, variants, worker, helper);
            }
        } finally {
            helper.shutdownNow();
        }
    }

    /** One model: compile, check, trace the first calls, then the three configurations. */
    private void measure(String model, List<String> variants, TorchWorker worker, ExecutorService helper)
            throws Exception {
        progress("== %s (JDK %s)", model, jdk);
        Graph written = BenchModels.load(model);
        ModelSummary summary = ModelSummary.of(written);
        Map<String, GeneratedModel> classes = new LinkedHashMap<>();
        for (String v : variants) {
            classes.put(v, compile(model, v, "warm"));
        }
        GeneratedModel first = classes.values().iterator().next();
        BenchData data = BenchData.read(model, first.inputSize(), first.outputSize());
        int batch = data.batch();
        int[] inShape = written.inputs().get(0).shape().dims();
        int[] outShape = written.node(written.outputs().get(0)).shape().dims();
        System.out.printf("MODEL model=%s flops=%d params=%d input=%s output=%s batch=%d%n", model,
                summary.totalFlops(), summary.totalParams(), dims(inShape), dims(outShape), batch);

        float[] in0 = data.inputs()[0];
        float[][] out1 = new float[1][first.outputSize()];
        float[][] outs = new float[batch][first.outputSize()];
        try (OrtModel ort1 = new OrtModel(data.onnx(1), 1, inShape, outShape, 1);
             OrtModel ort64 = new OrtModel(data.onnx(batch), batch, inShape, outShape, 1);
             OrtModel ort64x2 = new OrtModel(data.onnx(batch), batch, inShape, outShape, 2)) {
            // First calls, each on an instance never called before.
            Map<String, double[]> traces = new LinkedHashMap<>();
            for (Map.Entry<String, GeneratedModel> e : classes.entrySet()) {
                GeneratedModel m = e.getValue();
                traces.put(e.getKey(), trace(() -> m.predict(in0, out1[0])));
                check(data, model + " " + e.getKey() + " predict", out1);
            }
            traces.put("ort", trace(() -> ort1.predict(in0, out1[0])));
            check(data, model + " ort batch 1", out1);
            if (worker != null) {
                traces.put("torch", worker.trace(model, intOption("trace-calls"), 1e3 * doubleOption("trace-s")));
                progress("%s torch: max |diff| against output.bin %.2g", model, worker.load(model));
            }

            long slowestBatchCall = 0;
            Map<String, Runnable> b1 = new LinkedHashMap<>();
            Map<String, Runnable> b64 = new LinkedHashMap<>();
            Map<String, Runnable> b64x2 = new LinkedHashMap<>();
            for (Map.Entry<String, GeneratedModel> e : classes.entrySet()) {
                GeneratedModel m = e.getValue();
                b1.put(e.getKey(), () -> m.predict(in0, out1[0]));
                b64.put(e.getKey(), () -> m.predictBatch(data.inputs(), outs));
                b64x2.put(e.getKey(), () -> m.predictBatch(data.inputs(), outs, helper, 2));
                clear(outs);
                long t0 = System.nanoTime();
                m.predictBatch(data.inputs(), outs);
                slowestBatchCall = Math.max(slowestBatchCall, System.nanoTime() - t0);
                check(data, model + " " + e.getKey() + " predictBatch", outs);
                clear(outs);
                m.predictBatch(data.inputs(), outs, helper, 2);
                check(data, model + " " + e.getKey() + " predictBatch on 2 threads", outs);
            }
            b1.put("ort", () -> ort1.predict(in0, out1[0]));
            b64.put("ort", () -> ort64.predictBatch(data.inputs(), outs));
            b64x2.put("ort", () -> ort64x2.predictBatch(data.inputs(), outs));
            ort64.predictBatch(data.inputs(), outs);
            check(data, model + " ort batch " + batch, outs);
            ort64x2.predictBatch(data.inputs(), outs);
            check(data, model + " ort batch " + batch + " 2 threads", outs);
            progress("%s: every implementation agrees with PyTorch within %s x (|y| + max |y|)", model,
                    BenchData.TOLERANCE);

            List<String> configs = Arrays.asList(options.get("configs").split(","));
            if (configs.contains("b1")) {
                Map<String, double[]> steady = rounds(model, "b1", 1, 1, b1, worker, true);
                for (Map.Entry<String, double[]> e : traces.entrySet()) {
                    warmup(model, e.getKey(), e.getValue(), median(steady.get(e.getKey())));
                }
            }
            // Every batch implementation has run at least once in the checks; when one call takes
            // longer than the whole warm-up budget (the Go net), warm-up rounds would add nothing.
            boolean warm = slowestBatchCall < doubleOption("warmup-s") * 1e9;
            if (configs.contains("b64t1")) {
                rounds(model, "b" + batch + "t1", batch, 1, b64, worker, warm);
            }
            if (configs.contains("b64t2")) {
                rounds(model, "b" + batch + "t2", batch, 2, b64x2, worker, warm);
            }
        }
    }

    /** {@code .cnn} to loaded class: parse + bind weights + passes, generate, javac, load. */
    private GeneratedModel compile(String model, String variant, String mode) {
        long t0 = System.nanoTime();
        Graph graph = PassPipeline.standard().run(BenchModels.load(model), Pass.Mode.INFERENCE, null);
        long frontend = System.nanoTime() - t0;
        GeneratedModel m = GeneratedModel.of(graph, className(model), variant);
        long total = System.nanoTime() - t0;
        System.out.printf(Locale.ROOT, "COMPILE jdk=%s model=%s variant=%s mode=%s frontend_ms=%.1f generate_ms=%.1f"
                        + " javac_ms=%.1f load_ms=%.1f total_ms=%.1f%n", jdk, model, variant, mode, frontend / 1e6,
                m.generateNanos() / 1e6, m.javacNanos() / 1e6, m.loadNanos() / 1e6, total / 1e6);
        return m;
    }

    private static String className(String model) {
        StringBuilder sb = new StringBuilder();
        for (String part : model.split("_")) {
            sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.toString();
    }

    /** Per-call nanoseconds of the first calls, until {@code --trace-calls} calls or {@code --trace-s}. */
    private double[] trace(Runnable call) {
        int max = intOption("trace-calls");
        long deadline = System.nanoTime() + (long) (doubleOption("trace-s") * 1e9);
        double[] t = new double[max];
        int n = 0;
        while (n < max) {
            long start = System.nanoTime();
            call.run();
            long end = System.nanoTime();
            t[n++] = end - start;
            if (end > deadline) {
                break;
            }
        }
        return Arrays.copyOf(t, n);
    }

    /** The first call from which the next SPEED_WINDOW calls' median is within 10% of {@code steady}. */
    private void warmup(String model, String impl, double[] trace, double steady) {
        int calls = -1;
        double before = 0;
        for (int i = 0; i + SPEED_WINDOW <= trace.length; i++) {
            if (median(Arrays.copyOfRange(trace, i, i + SPEED_WINDOW)) <= FULL_SPEED * steady) {
                calls = i;
                break;
            }
            before += trace[i];
        }
        System.out.printf(Locale.ROOT, "WARMUP jdk=%s model=%s impl=%s first_ms=%.3f calls=%s to_full_ms=%s"
                        + " traced=%d traced_ms=%.1f steady_us=%.2f end_x=%.2f%n", jdk, model, impl, trace[0] / 1e6,
                calls < 0 ? ">" + trace.length : Integer.toString(calls),
                calls < 0 ? "NA" : String.format(Locale.ROOT, "%.1f", before / 1e6), trace.length,
                Arrays.stream(trace).sum() / 1e6, steady / 1e3,
                median(Arrays.copyOfRange(trace, Math.max(0, trace.length - SPEED_WINDOW), trace.length)) / steady);
    }

    private static void clear(float[][] outs) {
        for (float[] o : outs) {
            Arrays.fill(o, Float.NaN);
        }
    }

    /**
     * Warm-up rounds if {@code warmUp} ({@code --warmup}, stopped after {@code --warmup-s}
     * seconds, at least one), then timed rounds ({@code --rounds}; stopped after {@code --cap-s} seconds once
     * {@code --min-rounds} are done), every implementation once per round in turn. Prints TIME
     * and RATIO lines; returns the per-round nanoseconds per call of each implementation.
     */
    private Map<String, double[]> rounds(String model, String config, int batch, int threads,
                                         Map<String, Runnable> java, TorchWorker worker, boolean warmUp) {
        long roundNanos = (long) (doubleOption("round-ms") * 1e6);
        List<String> impls = new ArrayList<>(java.keySet());
        if (worker != null) {
            impls.add("torch");
        }
        long start = System.nanoTime();
        int warmups = warmUp ? intOption("warmup") : 0;
        for (int w = 0; w < warmups && (w == 0 || System.nanoTime() - start < doubleOption("warmup-s") * 1e9); w++) {
            for (String impl : impls) {
                round(impl, java, worker, model, batch, threads, roundNanos);
            }
        }
        int max = intOption("rounds");
        Map<String, double[]> times = new LinkedHashMap<>();
        impls.forEach(i -> times.put(i, new double[max]));
        int done = 0;
        start = System.nanoTime();
        while (done < max && (done < intOption("min-rounds") || System.nanoTime() - start < doubleOption("cap-s") * 1e9)) {
            for (String impl : impls) {
                times.get(impl)[done] = round(impl, java, worker, model, batch, threads, roundNanos);
            }
            done++;
        }
        progress("%s %s: %d rounds in %.1f s%s", model, config, done, (System.nanoTime() - start) / 1e9,
                warmUp ? "" : " (no warm-up rounds: one call takes longer than --warmup-s)");
        int n = done;
        times.replaceAll((k, v) -> Arrays.copyOf(v, n));
        for (Map.Entry<String, double[]> e : times.entrySet()) {
            double[] t = e.getValue();
            System.out.printf(Locale.ROOT, "TIME jdk=%s model=%s config=%s impl=%s batch=%d threads=%d median_ns=%.1f"
                            + " p10_ns=%.1f p90_ns=%.1f rounds=%d%n", jdk, model, config, e.getKey(), batch, threads,
                    median(t), percentile(t, 0.1), percentile(t, 0.9), n);
        }
        for (String impl : java.keySet()) {
            if (impl.equals("ort")) {
                continue;
            }
            for (String ref : impls) {
                if (ref.equals(impl) || !(ref.equals("ort") || ref.equals("torch") || ref.equals(Variants.SCALAR))) {
                    continue;
                }
                double[] r = new double[n];
                for (int i = 0; i < n; i++) {
                    r[i] = times.get(impl)[i] / times.get(ref)[i];
                }
                System.out.printf(Locale.ROOT, "RATIO jdk=%s model=%s config=%s impl=%s ref=%s median=%.4f p10=%.4f"
                        + " p90=%.4f rounds=%d%n", jdk, model, config, impl, ref, median(r), percentile(r, 0.1),
                        percentile(r, 0.9), n);
            }
        }
        return times;
    }

    /** Nanoseconds per call over one round of at least {@code roundNanos} and at least one call. */
    private static double round(String impl, Map<String, Runnable> java, TorchWorker worker, String model, int batch,
                                int threads, long roundNanos) {
        if (impl.equals("torch")) {
            return worker.round(model, batch, threads, roundNanos / 1e6);
        }
        Runnable call = java.get(impl);
        long start = System.nanoTime();
        long calls = 0;
        long now;
        do {
            call.run();
            calls++;
            now = System.nanoTime();
        } while (now - start < roundNanos);
        return (double) (now - start) / calls;
    }

    private static void check(BenchData data, String what, float[][] got) {
        progress("%s: max |diff| against PyTorch %.2g", what, data.check(what, got));
    }

    private static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("tools/bench/torch_worker.py"))) {
                return p;
            }
        }
        throw new IllegalStateException("run from the repository (tools/bench/torch_worker.py not found above "
                + Path.of("").toAbsolutePath() + ") or use --python none");
    }

    private static String dims(int[] d) {
        StringBuilder sb = new StringBuilder();
        for (int x : d) {
            sb.append(sb.length() == 0 ? "" : "x").append(x);
        }
        return sb.toString();
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, format + "%n", args);
    }

    private static double median(double[] v) {
        return percentile(v, 0.5);
    }

    /** Linear interpolation between the closest ranks. */
    private static double percentile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }
}
