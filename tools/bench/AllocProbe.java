import com.sun.management.ThreadMXBean;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;

/**
 * The bytes a generated class allocates per {@code predict(input, output)} call in steady state, and the bits of its
 * output (issue 16: a Vector API kernel that JDK 17's C2 does not intrinsify boxes its vectors on every call). Not a
 * timing: allocation does not depend on the machine's load, so this runs on a busy machine. Per class (one per JVM is
 * the fair setting: the JVM-wide profiles of the Vector API's methods are shared between classes): {@code load()}, one
 * call whose output bits are hashed (interpreted code), {@code warm} calls, then the bytes this thread allocates over
 * {@code calls} calls (com.sun.management.ThreadMXBean; the call goes through a bound {@link MethodHandle}, which
 * allocates nothing once compiled), and the hash of the last output (compiled code). The two hashes must agree
 * (every sum in a fixed order) and match across JDKs when the same kernels run. The input is the first image of a raw
 * little-endian float32 file ({@code -Dinput=}, e.g. {@code ~/.cache/striate/bench/<model>/input.bin}) or random
 * floats in {@code [0, 1)}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp classes [-Dwarm=20000] [-Dcalls=2000] [-Dinput=input.bin]
 *     [-Dstriate.winograd=true] tools/bench/AllocProbe.java Alloc_fashion_cnn
 * </pre>
 *
 * Prints one line per class: {@code class jdk bytes/call first-hash steady-hash}. {@code tools/bench/alloc_probe.sh}
 * compiles the benchmark models and runs this on JDK 17 and 25.
 */
public final class AllocProbe {
    private AllocProbe() {
    }

    public static void main(String[] args) throws Throwable {
        int warm = Integer.getInteger("warm", 20_000);
        int calls = Integer.getInteger("calls", 2_000);
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (String name : args) {
            Class<?> k = Class.forName(name);
            Object model = k.getMethod("load").invoke(null);
            float[] input = new float[k.getField("INPUT_SIZE").getInt(null)];
            float[] output = new float[k.getField("OUTPUT_SIZE").getInt(null)];
            String file = System.getProperty("input");
            if (file != null) {
                ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(Path.of(file))).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().get(input);
            } else {
                Random r = new Random(42);
                for (int j = 0; j < input.length; j++) {
                    input[j] = r.nextFloat();
                }
            }
            MethodHandle predict = MethodHandles.publicLookup()
                    .findVirtual(k, "predict", MethodType.methodType(void.class, float[].class, float[].class))
                    .bindTo(model);
            predict.invokeExact(input, output);
            String first = hash(output);
            for (int c = 0; c < warm; c++) {
                predict.invokeExact(input, output);
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int c = 0; c < calls; c++) {
                predict.invokeExact(input, output);
            }
            long bytes = mx.getCurrentThreadAllocatedBytes() - before;
            System.out.printf("%-24s JDK %-3d %10.1f bytes/call (%d calls after %d)  bits %s %s%s%n", name,
                    Runtime.version().feature(), (double) bytes / calls, calls, warm, first, hash(output),
                    first.equals(hash(output)) ? "" : "  FIRST AND STEADY CALLS DIFFER");
        }
    }

    /** The first 16 hex digits of the SHA-256 of the floats' bits. */
    private static String hash(float[] v) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length);
        for (float f : v) {
            b.putInt(Float.floatToRawIntBits(f));
        }
        StringBuilder s = new StringBuilder();
        for (byte x : MessageDigest.getInstance("SHA-256").digest(b.array())) {
            s.append(String.format("%02x", x));
        }
        return s.substring(0, 16);
    }
}
