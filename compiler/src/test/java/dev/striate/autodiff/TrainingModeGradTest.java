package dev.striate.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.backend.train.TrainerBackend;
import dev.striate.backend.train.TrainerOptions;
import dev.striate.ir.Activation;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Dropout;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import dev.striate.train.TrainableModel;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ops whose training mode differs from inference: batch norm (batch statistics, checked by finite
 * differences against a double-precision batch reference, and its running statistics), dropout
 * (mask rate, scale, seeding and gradient), and PyTorch's tie rule for max pooling.
 */
class TrainingModeGradTest {

    /** The graph's prefix up to the batch norm per sample, then batch norm over the batch, then the activation. */
    private static GradCheck.Reference batchNormThen(String bnNode, Activation after) {
        return (g, batch) -> {
            Node bn = g.node(bnNode);
            String prefix = bn.inputs().get(0);
            double[] x = GradCheck.perSample().apply(g.withOutputs(List.of(prefix)), batch);
            Shape s = bn.shape();
            int n = x.length / s.size();
            int plane = s.rank() == 3 ? s.height() * s.width() : 1;
            float[] gamma = g.weight(bn, "weight").data();
            float[] beta = g.weight(bn, "bias").data();
            double eps = ((BatchNorm) bn.op()).epsilon();
            double[] y = new double[x.length];
            for (int c = 0; c < s.channels(); c++) {
                double sum = 0;
                double sq = 0;
                for (int i = 0; i < n; i++) {
                    for (int p = 0; p < plane; p++) {
                        sum += x[i * s.size() + c * plane + p];
                    }
                }
                double mean = sum / (n * plane);
                for (int i = 0; i < n; i++) {
                    for (int p = 0; p < plane; p++) {
                        double d = x[i * s.size() + c * plane + p] - mean;
                        sq += d * d;
                    }
                }
                double inv = 1 / Math.sqrt(sq / (n * plane) + eps);
                for (int i = 0; i < n; i++) {
                    for (int p = 0; p < plane; p++) {
                        int k = i * s.size() + c * plane + p;
                        double v = (x[k] - mean) * inv * gamma[c] + beta[c];
                        y[k] = after instanceof Activation.Relu ? Math.max(v, 0) : after instanceof Activation.Tanh
                                ? Math.tanh(v) : v;
                    }
                }
            }
            return y;
        };
    }

    @Test
    void batchNormOnAMapMatchesFiniteDifferences() {
        GraphBuilder b = new GraphBuilder("Bn", 3);
        String bn = b.add("bn", new BatchNorm(1e-3f, 0.1f), b.input(Shape.chw(3, 4, 5)));
        new GradCheck(b.build(bn), 4, 5, batchNormThen("bn", Activation.IDENTITY)).checkForward().checkAll();
    }

    @Test
    void batchNormOnVectorsMatchesFiniteDifferences() {
        GraphBuilder b = new GraphBuilder("Bn1d", 4);
        String bn = b.add("bn", new BatchNorm(1e-5f, 0.1f), b.input(Shape.of(6)));
        new GradCheck(b.build(bn), 5, 6, batchNormThen("bn", Activation.IDENTITY)).checkForward().checkAll();
    }

    @Test
    void convBatchNormTanhMatchesFiniteDifferences() {
        GraphBuilder b = new GraphBuilder("ConvBn", 5);
        String c = b.add("conv", new Conv2d(3, 3, 3, 1, 1, Padding.Explicit.of(1), 1, 1, 1, false, Activation.IDENTITY),
                b.input(Shape.chw(2, 5, 5)));
        String bn = b.add("bn", new BatchNorm(1e-5f, 0.1f), c);
        String t = b.add("act", new dev.striate.ir.Activate(Activation.TANH), bn);
        new GradCheck(b.build(t), 3, 7, batchNormThen("bn", Activation.TANH)).checkForward().checkAll();
    }

    @Test
    void batchNormUpdatesRunningStatisticsWithTheUnbiasedVariance() {
        GraphBuilder b = new GraphBuilder("BnStats", 6);
        String bn = b.add("bn", new BatchNorm(1e-5f, 0.25f), b.input(Shape.chw(2, 2, 3)));
        Graph g = b.build(bn);
        TrainableModel m = TrainerBackend.load(g);
        float[] x = b.randomInput(4 * 12);
        m.newWorker(4).forward(x, 4, new float[48], 0);
        float[] rm0 = g.weights().get("bn.running_mean").data();
        float[] rv0 = g.weights().get("bn.running_var").data();
        for (int c = 0; c < 2; c++) {
            double sum = 0;
            double sq = 0;
            for (int s = 0; s < 4; s++) {
                for (int p = 0; p < 6; p++) {
                    sum += x[s * 12 + c * 6 + p];
                }
            }
            double mean = sum / 24;
            for (int s = 0; s < 4; s++) {
                for (int p = 0; p < 6; p++) {
                    sq += Math.pow(x[s * 12 + c * 6 + p] - mean, 2);
                }
            }
            assertEquals(0.75 * rm0[c] + 0.25 * mean, m.buffers().get(0).data()[c], 1e-6, "running mean");
            assertEquals(0.75 * rv0[c] + 0.25 * sq / 23, m.buffers().get(1).data()[c], 1e-6, "running var");
        }
    }

    @Test
    void dropoutMasksAreSeededScaledAndBackpropagated() throws Exception {
        GraphBuilder b = new GraphBuilder("Drop", 2);
        String d = b.add("drop", new Dropout(0.25f), b.input(Shape.of(1000)));
        TrainableModel m = TrainerBackend.load(b.build(d), new TrainerOptions(false, true));
        TrainableModel.Worker w = m.newWorker(2);
        float[] x = new float[2000];
        java.util.Arrays.fill(x, 2f);
        float[] y = new float[2000];
        w.forward(x, 2, y, 42);
        int kept = 0;
        for (float v : y) {
            assertTrue(v == 0f || v == 2f / 0.75f, "dropped or scaled by 1/(1-p): " + v);
            kept += v == 0f ? 0 : 1;
        }
        assertEquals(1500, kept, 60, "about 1 - p of the elements are kept");
        float[] again = new float[2000];
        w.forward(x, 2, again, 42);
        assertArrayEquals(y, again, "same seed, same mask");
        float[] other = new float[2000];
        w.forward(x, 2, other, 43);
        assertTrue(!java.util.Arrays.equals(y, other), "another seed, another mask");
        w.forward(x, 2, y, 42);
        float[] r = new float[2000];
        for (int i = 0; i < r.length; i++) {
            r[i] = i % 7 - 3;
        }
        w.backward(r, 2);
        Method ig = w.getClass().getMethod("inputGradient");
        ig.setAccessible(true);
        float[] dx = (float[]) ig.invoke(w);
        for (int i = 0; i < 2000; i++) {
            assertEquals(r[i] * y[i] / x[i], dx[i], 1e-6f, "d x = r * mask at " + i);
        }
    }

    @Test
    void maxPoolTiesSendTheGradientToTheFirstMaximumInWindowOrder() throws Exception {
        GraphBuilder b = new GraphBuilder("Ties", 2);
        String x = b.input(Shape.chw(1, 4, 4));
        String p = b.add("pool", new Pool2d(Pool2d.Kind.MAX, 2, 2, 2, 2, Padding.VALID, true), x);
        String gp = b.add("gmax", new GlobalPool(Pool2d.Kind.MAX), p);
        TrainableModel m = TrainerBackend.load(b.build(gp), new TrainerOptions(false, true));
        TrainableModel.Worker w = m.newWorker(1);
        float[] in = {
            1, 5, 5, 2,
            5, 5, 2, 5,
            3, 3, 0, 0,
            3, 3, 0, 0};
        w.forward(in, 1, new float[1], 0);
        w.backward(new float[] {1f}, 1);
        Method ig = w.getClass().getMethod("inputGradient");
        ig.setAccessible(true);
        float[] dx = (float[]) ig.invoke(w);
        float[] expected = new float[16];
        expected[1] = 1; // first window's first 5, which is also the global max's first occurrence
        assertArrayEquals(expected, dx);
    }
}
