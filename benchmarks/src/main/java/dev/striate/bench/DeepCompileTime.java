package dev.striate.bench;

import dev.striate.Compiler;
import dev.striate.backend.JavaBackend;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.passes.InitWeights;
import dev.striate.passes.Pass;
import dev.striate.passes.PassLog;
import dev.striate.passes.PassPipeline;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Striate's own compile time on very deep models (javac excluded): for each layer count, writes
 * a chain of {@code dense(4, activation=relu)} layers and its seeded weights to a temporary
 * folder, then times each stage of {@link Compiler#compile} in this JVM (CPU time of the
 * compiling thread, best of a few runs after one warm-up): parse and lower, read and bind the weights, the pass pipeline, and code
 * generation. Time that grows faster than the layer count shows a quadratic step.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -Xmx4g -cp benchmarks/target/benchmarks.jar dev.striate.bench.DeepCompileTime 1000 10000 50000
 * </pre>
 */
public final class DeepCompileTime {
    private DeepCompileTime() {
    }

    public static void main(String[] args) throws IOException {
        int[] counts = args.length == 0 ? new int[] {1000, 10_000, 50_000} : new int[args.length];
        for (int i = 0; i < args.length; i++) {
            counts[i] = Integer.parseInt(args[i]);
        }
        Path dir = Files.createTempDirectory("striate-deep");
        System.out.printf("%8s %10s %10s %10s %10s %10s %12s%n", "layers", "parse ms", "weights ms", "passes ms",
                "generate ms", "total ms", "source bytes");
        for (int n : counts) {
            Path source = dir.resolve("deep" + n + ".cnn");
            Files.writeString(source, chain(n), StandardCharsets.UTF_8);
            Path manifest = dir.resolve("deep" + n + ".weights.json");
            WeightsFile.write(manifest, InitWeights.run(Compiler.loadModel(source, null, new Diagnostics()), 1));
            long[] best = null;
            int runs = n >= 50_000 ? 2 : 4;
            for (int r = 0; r < runs; r++) {
                long[] t = once(source, manifest);
                if (r > 0 && (best == null || t[4] < best[4])) {
                    best = t;
                }
            }
            System.out.printf("%8d %10d %10d %10d %10d %10d %12d%n", n, best[0], best[1], best[2], best[3], best[4],
                    best[5]);
        }
    }

    /**
     * CPU milliseconds of this thread in each stage, their total, then the generated source's
     * length. CPU time rather than wall time, so that a loaded machine distorts less.
     */
    private static long[] once(Path source, Path manifest) {
        long t0 = CPU.getCurrentThreadCpuTime();
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(source, null, diagnostics);
        long t1 = CPU.getCurrentThreadCpuTime();
        graph = Compiler.bindWeights(graph, manifest, diagnostics);
        long t2 = CPU.getCurrentThreadCpuTime();
        graph = PassPipeline.standard().run(graph, Pass.Mode.INFERENCE, new PassLog());
        long t3 = CPU.getCurrentThreadCpuTime();
        long bytes = JavaBackend.generate(graph, Variants.options(Variants.SCALAR, "", graph.name())).get(0).content().length;
        long t4 = CPU.getCurrentThreadCpuTime();
        return new long[] {ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t4 - t0), bytes};
    }

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    static String chain(int layers) {
        StringBuilder sb = new StringBuilder("model Deep").append(layers).append(" {\n    input x: [4]\n");
        for (int i = 0; i < layers; i++) {
            sb.append("    dense(4, activation=relu)\n");
        }
        return sb.append("}\n").toString();
    }
}
