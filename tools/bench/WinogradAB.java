import dev.striate.diag.Diagnostics;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.passes.BindWeights;
import dev.striate.passes.InitWeights;
import dev.striate.train.Kernels;
import dev.striate.train.TrainableModel;
import dev.striate.train.loss.SoftmaxCrossEntropy;
import dev.striate.training.ModelRecipe;
import dev.striate.training.TrainingRun;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * The trainer's Winograd layers against the unfolded product in one JVM (a benchmark, not a test): two
 * trainers of the same model generated with {@code -Dstriate.winograd=true} and {@code false} (the property is
 * read when a trainer is generated), one worker of {@code n} samples each, 30 warm-up steps each, then
 * {@code rounds} rounds of 5 forward + backward steps alternating which goes first; prints the medians
 * (p10-p90) of the step time (thread CPU time) and of the per-round ratio Winograd / unfolded.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp cli/target/striate-cli.jar tools/bench/WinogradAB.java \
 *     tools/bench/fashion_cnn.cnn 32 40
 * </pre>
 */
public final class WinogradAB {
    private static final com.sun.management.ThreadMXBean CPU =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        TrainableModel.Worker[] ws = new TrainableModel.Worker[2];
        int in = 0;
        int out = 0;
        for (int v = 0; v < 2; v++) {
            System.setProperty("striate.winograd", v == 0 ? "true" : "false");
            ModelRecipe recipe = ModelRecipe.load(model, null, new Diagnostics());
            Graph graph = recipe.graph();
            Graph bound = BindWeights.run(graph, InitWeights.run(graph, 1), new SourcePos("bench", 1, 1), new Diagnostics());
            TrainableModel m = TrainingRun.load(bound, new SoftmaxCrossEntropy());
            ws[v] = m.newWorker(n);
            in = m.inputSize();
            out = m.outputSize();
        }
        Random r = new Random(1);
        float[] x = new float[n * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        float[] o = new float[n * out];
        float[] d = new float[n * out];
        for (int i = 0; i < d.length; i++) {
            d[i] = (r.nextFloat() - 0.5f) / n;
        }
        Kernels.warmUp();
        for (int i = 0; i < 30; i++) {
            for (TrainableModel.Worker w : ws) {
                w.forward(x, n, o, i);
                w.backward(d, n);
            }
        }
        double[][] t = new double[2][rounds];
        for (int rd = 0; rd < rounds; rd++) {
            for (int v = 0; v < 2; v++) {
                int vv = (rd % 2 == 0) ? v : 1 - v;
                long t0 = CPU.getCurrentThreadCpuTime();
                for (int i = 0; i < 5; i++) {
                    ws[vv].forward(x, n, o, i);
                    ws[vv].backward(d, n);
                }
                t[vv][rd] = (CPU.getCurrentThreadCpuTime() - t0) / 5e6;
            }
        }
        double[] ratio = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            ratio[i] = t[0][i] / t[1][i];
        }
        for (double[] a : t) {
            Arrays.sort(a);
        }
        Arrays.sort(ratio);
        System.out.printf("winograd %.2f ms [%.2f-%.2f], unfolded %.2f ms [%.2f-%.2f] per %d samples; ratio median %.3f [%.3f-%.3f]%n",
                t[0][rounds / 2], t[0][rounds / 10], t[0][rounds * 9 / 10], t[1][rounds / 2], t[1][rounds / 10], t[1][rounds * 9 / 10], n,
                ratio[rounds / 2], ratio[rounds / 10], ratio[rounds * 9 / 10]);
    }
}
