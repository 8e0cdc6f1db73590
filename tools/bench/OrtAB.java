import ai.onnxruntime.*;
import java.lang.reflect.Method;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

/**
 * Two generated classes of one model (old and new kernels) against ONNX Runtime Java, alternating in one JVM
 * (issue 16): the benchmark's inputs and ONNX exports of {@code export_onnx.py} ({@code ~/.cache/striate/bench/<model>}),
 * ORT set up as {@code InferenceTable}'s {@code OrtModel} (sequential, all graph optimizations, one inter-op thread,
 * direct buffers, "full call": float[] in, run, float[] out). {@code b1}: {@code predict} against a one-thread
 * session, timed in the calling thread's CPU time (ORT with one intra-op thread runs on it), so other processes'
 * load counts less; {@code b64t2}: {@code predictBatch(inputs, outputs, 2)} against a two-thread session, wall time.
 * Each round times each of the three for about {@code roundMs}, in an order that rotates every round; prints the
 * medians (p10-p90) and the medians of the per-round ratios, after checking the outputs against ORT's.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *     -cp classes:onnxruntime-1.29.0.jar [-Drounds=20] [-DroundMs=300] [-DwarmS=8] \
 *     tools/bench/OrtAB.java Old_fashion_cnn New_fashion_cnn ~/.cache/striate/bench/fashion_cnn b1|b64t2
 * </pre>
 */
public final class OrtAB {
    interface Call { void run() throws Exception; }
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[2]);
        String cfg = a[3];
        boolean b1 = cfg.equals("b1");
        int batch = b1 ? 1 : 64, threads = b1 ? 1 : 2;
        float[] all = floats(dir.resolve("input.bin"));
        Class<?>[] k = {Class.forName(a[0]), Class.forName(a[1])};
        int inSize = k[0].getField("INPUT_SIZE").getInt(null), outSize = k[0].getField("OUTPUT_SIZE").getInt(null);
        float[][] in = new float[batch][inSize];
        for (int i = 0; i < batch; i++) System.arraycopy(all, i * inSize, in[i], 0, inSize);
        float[][][] outs = new float[3][batch][outSize];
        Call[] calls = new Call[3];
        for (int c = 0; c < 2; c++) {
            Object model = k[c].getMethod("load").invoke(null);
            float[][] o = outs[c];
            if (b1) {
                Method p = k[c].getMethod("predict", float[].class, float[].class);
                calls[c] = () -> p.invoke(model, in[0], o[0]);
            } else {
                Method p = k[c].getMethod("predictBatch", float[][].class, float[][].class, int.class);
                calls[c] = () -> p.invoke(model, in, o, threads);
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions opt = new OrtSession.SessionOptions();
        opt.setIntraOpNumThreads(threads); opt.setInterOpNumThreads(1);
        opt.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        opt.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        OrtSession s = env.createSession(dir.resolve(b1 ? "b1.onnx" : "b64.onnx").toString(), opt);
        long[] ishape = {batch, k[0].getField("INPUT_CHANNELS").getInt(null), k[0].getField("INPUT_HEIGHT").getInt(null),
            k[0].getField("INPUT_WIDTH").getInt(null)};
        FloatBuffer ib = ByteBuffer.allocateDirect(batch * inSize * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        FloatBuffer ob = ByteBuffer.allocateDirect(batch * outSize * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        OnnxTensor it = OnnxTensor.createTensor(env, ib, ishape);
        // the output's own rank (a classifier's [batch, classes], a map's [batch, C, H, W]), batch set to ours
        long[] oshape = ((TensorInfo) s.getOutputInfo().values().iterator().next().getInfo()).getShape().clone();
        oshape[0] = batch;
        OnnxTensor ot = OnnxTensor.createTensor(env, ob, oshape);
        Map<String, OnnxTensor> ins = Map.of(s.getInputNames().iterator().next(), it);
        Map<String, OnnxTensor> pin = Map.of(s.getOutputNames().iterator().next(), ot);
        float[][] oo = outs[2];
        calls[2] = () -> {
            ib.clear(); for (float[] x : in) ib.put(x);
            try (OrtSession.Result r = s.run(ins, pin)) { ob.clear(); for (float[] x : oo) ob.get(x); }
        };
        String[] names = {a[0], a[1], "ORT"};
        int rounds = Integer.getInteger("rounds", 20); long roundNs = Long.getLong("roundMs", 300L) * 1_000_000L;
        long warmEnd = System.nanoTime() + Long.getLong("warmS", 8L) * 1_000_000_000L;
        while (System.nanoTime() < warmEnd) for (Call c : calls) for (int j = 0; j < 20; j++) c.run();
        double maxDiff = 0, maxAbs = 0;
        for (int c = 0; c < 3; c++) for (int i = 0; i < batch; i++) for (int j = 0; j < outSize; j++) {
            maxDiff = Math.max(maxDiff, Math.abs(outs[c][i][j] - outs[2][i][j])); maxAbs = Math.max(maxAbs, Math.abs(outs[2][i][j]));
        }
        System.out.printf("%s: max |diff| to ORT %.3g (max |out| %.3g)%n", cfg, maxDiff, maxAbs);
        double[][] t = new double[3][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int cc = 0; cc < 3; cc++) {
                int c = (cc + r) % 3;
                int reps = 0; long t0 = now(b1), t1;
                do { calls[c].run(); reps++; t1 = now(b1); } while (t1 - t0 < roundNs);
                t[c][r] = (t1 - t0) / 1e3 / reps;
            }
        }
        for (int c = 0; c < 3; c++) {
            double[] x = t[c].clone(); Arrays.sort(x);
            StringBuilder sb = new StringBuilder(String.format("%s %-16s median %8.1f us [p10 %.1f p90 %.1f]", cfg, names[c], x[rounds / 2], x[rounds / 10], x[rounds * 9 / 10]));
            for (int d : new int[] {0, 2}) {
                if (d == c) continue;
                double[] q = new double[rounds];
                for (int r = 0; r < rounds; r++) q[r] = t[c][r] / t[d][r];
                Arrays.sort(q);
                sb.append(String.format("  /%s %.3f [%.3f-%.3f]", names[d], q[rounds / 2], q[rounds / 10], q[rounds * 9 / 10]));
            }
            System.out.println(sb);
        }
        System.out.println("load " + Files.readString(Path.of("/proc/loadavg")).trim());
    }
    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();
    /** Batch 1 runs on the calling thread alone (ORT with one intra-op thread too): its CPU time; else wall time. */
    static long now(boolean cpu) { return cpu ? MX.getCurrentThreadCpuTime() : System.nanoTime(); }
    static float[] floats(Path p) throws Exception {
        FloatBuffer f = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] x = new float[f.remaining()]; f.get(x); return x;
    }
}
