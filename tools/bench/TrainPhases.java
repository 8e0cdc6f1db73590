import dev.striate.diag.Diagnostics;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.optim.Adam;
import dev.striate.passes.BindWeights;
import dev.striate.passes.InitWeights;
import dev.striate.train.Kernels;
import dev.striate.train.TrainableModel;
import dev.striate.train.loss.SoftmaxCrossEntropy;
import dev.striate.training.ModelRecipe;
import dev.striate.training.TrainingRun;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Where a training step's time goes (a benchmark, not a test): the generated trainer of a model,
 * one worker of {@code n} samples on one thread, every generated layer method timed on its own
 * (thread CPU time, through reflection, and the bytes it allocated: anything above a few hundred
 * bytes per call is a boxed vector, or a vector operation still running in the interpreter or C1),
 * forward + backward, and one Adam step over all parameters. First prints a hash of the outputs and gradients of one seeded forward + backward,
 * so two builds can be checked for bit-identical arithmetic ({@code reps} 0 prints only the hash).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp cli/target/striate-cli.jar tools/bench/TrainPhases.java \
 *     tools/bench/fashion_cnn.cnn 16 10
 * </pre>
 */
public final class TrainPhases {
    private static final com.sun.management.ThreadMXBean CPU =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int reps = Integer.parseInt(args[2]);
        ModelRecipe recipe = ModelRecipe.load(model, null, new Diagnostics());
        Graph graph = recipe.graph();
        Graph bound = BindWeights.run(graph, InitWeights.run(graph, 1), new SourcePos("bench", 1, 1), new Diagnostics());
        TrainableModel m = TrainingRun.load(bound, new SoftmaxCrossEntropy());
        TrainableModel.Worker w = m.newWorker(n);
        Random r = new Random(1);
        float[] x = new float[n * m.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        float[] out = new float[n * m.outputSize()];
        float[] d = new float[n * m.outputSize()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (r.nextFloat() - 0.5f) / n;
        }
        w.forward(x, n, out, 5);
        w.backward(d, n);
        long hash = Arrays.hashCode(out);
        for (float[] g : w.gradients()) {
            hash = hash * 31 + Arrays.hashCode(g);
        }
        System.out.println("HASH " + hash);
        if (reps == 0) {
            return;
        }
        Kernels.warmUp(); // as the training loop does before its first step
        for (int i = 0; i < 20; i++) {
            w.forward(x, n, out, i);
            w.backward(d, n);
        }
        List<Method> methods = new ArrayList<>();
        for (Method me : w.getClass().getDeclaredMethods()) {
            if (me.getParameterCount() == 1 && me.getParameterTypes()[0] == int.class) {
                me.setAccessible(true);
                methods.add(me);
            }
        }
        methods.sort(Comparator.comparing(Method::getName));
        Map<String, Long> times = new TreeMap<>();
        Map<String, Long> bytes = new TreeMap<>();
        for (int rep = 0; rep < reps; rep++) {
            w.forward(x, n, out, rep);
            w.backward(d, n);
            for (Method me : methods) {
                long a0 = CPU.getCurrentThreadAllocatedBytes();
                long t0 = CPU.getCurrentThreadCpuTime();
                me.invoke(w, n);
                times.merge(me.getName(), CPU.getCurrentThreadCpuTime() - t0, Long::sum);
                bytes.merge(me.getName(), CPU.getCurrentThreadAllocatedBytes() - a0, Long::sum);
            }
        }
        long step = 0;
        for (int rep = 0; rep < reps; rep++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            w.forward(x, n, out, rep);
            w.backward(d, n);
            step += CPU.getCurrentThreadCpuTime() - t0;
        }
        for (Map.Entry<String, Long> e : times.entrySet()) {
            System.out.printf("  %-36s %8.2f ms %10d bytes%n", e.getKey(), e.getValue() / 1e6 / reps,
                    bytes.get(e.getKey()) / reps);
        }
        System.out.printf("forward+backward %.2f ms per %d samples%n", step / 1e6 / reps, n);
        var params = m.parameters();
        float[][] ps = new float[params.size()][];
        for (int p = 0; p < ps.length; p++) {
            ps[p] = params.get(p).data();
        }
        Adam adam = Adam.builder().lr(1e-3).build();
        for (int i = 0; i < 20; i++) {
            adam.step(ps, w.gradients());
        }
        long t0 = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < 50; i++) {
            adam.step(ps, w.gradients());
        }
        System.out.printf("adam step %.2f ms%n", (CPU.getCurrentThreadCpuTime() - t0) / 1e6 / 50);
    }
}
