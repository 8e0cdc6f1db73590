import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times two compiled builds of the same generated class ("old" and "new", e.g. the scalar class
 * of one model from two compiler revisions) in one JVM, alternating: each round runs one build
 * for {@code roundMs}, then the other, in alternating order, so load on a shared machine hits
 * both alike. Prints the median thread CPU time per prediction of each and the median of the per-round
 * ratios new/old (and each build's best round, the least disturbed by other work). Before timing, both builds must give the same outputs on the input (and, with
 * an expected-output file, PyTorch's within 1e-3 relative to the largest output), else it fails.
 *
 * <pre>java tools/bench/ScalarAB.java OLD_DIR NEW_DIR CLASS [INPUT.bin [OUTPUT.bin]] [rounds=30] [roundMs=200]</pre>
 *
 * Used by {@code tools/bench/scalar_ab.sh}; {@code OLD_DIR} and {@code NEW_DIR} hold the compiled
 * class and its weights resource.
 */
public final class ScalarAB {
    private ScalarAB() {
    }

    public static void main(String[] args) throws Exception {
        Model a = new Model(Path.of(args[0]), args[2]);
        Model b = new Model(Path.of(args[1]), args[2]);
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(3, args.length));
        float[] in = new float[a.inputSize];
        float[] expected = null;
        if (!rest.isEmpty() && rest.get(0).endsWith(".bin")) {
            in = first(Path.of(rest.remove(0)), a.inputSize);
            if (!rest.isEmpty() && rest.get(0).endsWith(".bin")) {
                expected = first(Path.of(rest.remove(0)), a.outputSize);
            }
        } else {
            java.util.Random random = new java.util.Random(42);
            for (int i = 0; i < in.length; i++) {
                in[i] = random.nextFloat();
            }
        }
        int rounds = rest.isEmpty() ? 30 : Integer.parseInt(rest.get(0));
        long roundNanos = (rest.size() < 2 ? 200 : Long.parseLong(rest.get(1))) * 1_000_000L;
        float[] oa = new float[a.outputSize];
        float[] ob = new float[b.outputSize];
        a.predict(in, oa);
        b.predict(in, ob);
        check("new vs old", ob, oa, 1e-4);
        if (expected != null) {
            check("old vs PyTorch", oa, expected, 1e-3);
            check("new vs PyTorch", ob, expected, 1e-3);
        }
        // warm-up: at least 5 rounds and 8 s, so that C2 has compiled every layer method in full (a
        // Go net's methods were compiled at tier 4 only 4-5 s into a loaded run, after OSR versions)
        long warmStart = System.nanoTime();
        for (int w = 0; w < 5 || System.nanoTime() - warmStart < 8_000_000_000L; w++) {
            a.perOp(in, oa, roundNanos);
            b.perOp(in, ob, roundNanos);
        }
        double[] ta = new double[rounds];
        double[] tb = new double[rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                ta[r] = a.perOp(in, oa, roundNanos);
                tb[r] = b.perOp(in, ob, roundNanos);
            } else {
                tb[r] = b.perOp(in, ob, roundNanos);
                ta[r] = a.perOp(in, oa, roundNanos);
            }
            ratio[r] = tb[r] / ta[r];
        }
        System.out.printf("%-24s old %10.1f us   new %10.1f us   new/old %.3f   (best round: old %.1f us, new %.1f us)%n",
                args[2], median(ta) / 1e3, median(tb) / 1e3, median(ratio),
                Arrays.stream(ta).min().getAsDouble() / 1e3, Arrays.stream(tb).min().getAsDouble() / 1e3);
    }

    private static void check(String what, float[] got, float[] want, double tol) {
        double scale = 0;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= tol * Math.max(scale, 1e-6))) {
                throw new IllegalStateException(what + ": output " + i + " is " + got[i] + ", expected " + want[i]);
            }
        }
    }

    /** The first {@code n} little-endian floats of {@code file}. */
    private static float[] first(Path file, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[n];
        buf.asFloatBuffer().get(v);
        return v;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** One build: its own class loader, one instance, {@code predict(float[], float[])}. */
    private static final class Model {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        final Object instance;
        final Method predict;
        final int inputSize;
        final int outputSize;

        Model(Path dir, String className) throws Exception {
            ClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, ScalarAB.class.getClassLoader());
            Class<?> type = Class.forName(className, true, loader);
            instance = type.getMethod("load").invoke(null);
            predict = type.getMethod("predict", float[].class, float[].class);
            inputSize = type.getField("INPUT_SIZE").getInt(null);
            outputSize = type.getField("OUTPUT_SIZE").getInt(null);
        }

        void predict(float[] in, float[] out) throws Exception {
            predict.invoke(instance, in, out);
        }

        /**
         * Thread CPU nanoseconds per prediction over one round of {@code nanos} (wall time): on a
         * loaded machine, wall time also counts the time the thread waits for a core.
         */
        double perOp(float[] in, float[] out, long nanos) throws Exception {
            long cpu = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long ops = 0;
            do {
                predict.invoke(instance, in, out);
                ops++;
            } while (System.nanoTime() - start < nanos);
            return (double) (THREADS.getCurrentThreadCpuTime() - cpu) / ops;
        }
    }
}
