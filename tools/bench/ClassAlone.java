import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Random;

/**
 * One generated class alone in this JVM: {@code predict(float[], float[])} in a loop for {@code seconds}, printing
 * the thread CPU time per call of each second and, last, a hash of the output's bits (equal hashes on two JDKs:
 * the same bits). The complement of {@code ScalarAB.java}, which runs two classes in one JVM: there the second
 * class's methods compete for the same C2 threads and, on a loaded machine, may still run C1 code when it measures.
 *
 * <pre>java tools/bench/ClassAlone.java CLASSES_DIR [seconds=12] [class=ab.M]</pre>
 *
 * Input: uniform random floats in [0, 1) from seed 1 (the class's {@code INPUT_SIZE}).
 */
public final class ClassAlone {
    public static void main(String[] args) throws Exception {
        ClassLoader loader = new URLClassLoader(new URL[] {Path.of(args[0]).toUri().toURL()});
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        Class<?> type = Class.forName(args.length > 2 ? args[2] : "ab.M", true, loader);
        Object model = type.getMethod("load").invoke(null);
        Method predict = type.getMethod("predict", float[].class, float[].class);
        float[] in = new float[type.getField("INPUT_SIZE").getInt(null)];
        float[] out = new float[type.getField("OUTPUT_SIZE").getInt(null)];
        Random random = new Random(1);
        for (int i = 0; i < in.length; i++) {
            in[i] = random.nextFloat();
        }
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        for (int s = 0; s < seconds; s++) {
            long wall = System.nanoTime();
            long cpu = bean.getCurrentThreadCpuTime();
            int calls = 0;
            while (System.nanoTime() - wall < 1_000_000_000L) {
                predict.invoke(model, in, out);
                calls++;
            }
            System.out.printf("second %d: %.1f us per call (thread CPU)%n", s,
                    (bean.getCurrentThreadCpuTime() - cpu) / 1e3 / calls);
        }
        long hash = 0;
        for (float v : out) {
            hash = hash * 31 + Float.floatToRawIntBits(v);
        }
        System.out.println("output bits hash " + Long.toHexString(hash));
    }
}
