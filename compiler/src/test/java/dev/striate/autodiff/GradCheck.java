package dev.striate.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.striate.backend.train.TrainerBackend;
import dev.striate.backend.train.TrainerOptions;
import dev.striate.ir.Graph;
import dev.striate.train.TrainableModel;
import dev.striate.weights.Tensor;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Finite-difference gradient checks of generated trainers. The loss is {@code sum(out * r)} over a
 * batch with seeded random {@code r}; its value is computed in double by a reference function of
 * (graph with perturbed weights, perturbed input batch), and central differences over float
 * perturbations (exact denominators) are compared with the generated float gradients:
 * {@code |g - fd| <= 1e-3 |fd| + 1e-3 max|fd| + 1e-5}.
 */
final class GradCheck {
    /** Loss reference: (graph, n samples of input) -> per-sample outputs concatenated, in double. */
    interface Reference extends BiFunction<Graph, float[], double[]> {
    }

    static final double RTOL = 1e-3;
    private static final int MAX_CHECKED = 48;

    private final Graph graph;
    private final int n;
    private final Reference reference;
    private final Random random;
    final float[] x;
    final float[] r;
    final float[] out;
    final TrainableModel model;
    final TrainableModel.Worker worker;

    GradCheck(Graph graph, int n, long seed, Reference reference) {
        this.graph = graph;
        this.n = n;
        this.reference = reference;
        this.random = new Random(seed);
        this.model = TrainerBackend.load(graph, new TrainerOptions(false, true));
        this.worker = model.newWorker(n + 1);
        this.x = randoms(n * model.inputSize());
        this.r = randoms(n * model.outputSize());
        this.out = new float[n * model.outputSize()];
        worker.forward(x, n, out, seed);
        worker.backward(r, n);
    }

    /** Per-sample ReferenceInterpreter outputs (inference semantics equal training ones for the op). */
    static Reference perSample() {
        return (g, batch) -> {
            int in = g.inputs().get(0).shape().size();
            int samples = batch.length / in;
            double[][] outs = new double[samples][];
            int total = 0;
            for (int s = 0; s < samples; s++) {
                float[] one = new float[in];
                System.arraycopy(batch, s * in, one, 0, in);
                outs[s] = dev.striate.testing.ReferenceInterpreter.run(g, one);
                total += outs[s].length;
            }
            double[] all = new double[total];
            int at = 0;
            for (double[] o : outs) {
                System.arraycopy(o, 0, all, at, o.length);
                at += o.length;
            }
            return all;
        };
    }

    private float[] randoms(int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    private double loss(Graph g, float[] input) {
        double[] y = reference.apply(g, input);
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += y[i] * r[i];
        }
        return sum;
    }

    /** Checks the forward outputs against the reference. */
    GradCheck checkForward() {
        double[] y = reference.apply(graph, x);
        for (int i = 0; i < y.length; i++) {
            double err = Math.abs(out[i] - y[i]);
            if (!(err <= 1e-5 + 1e-4 * Math.abs(y[i]))) {
                fail("forward output " + i + " is " + out[i] + ", expected " + y[i]);
            }
        }
        return this;
    }

    /** Checks every learned parameter's gradient and the input gradient. */
    GradCheck checkAll() {
        List<Tensor> params = model.parameters();
        float[][] grads = worker.gradients();
        for (int p = 0; p < params.size(); p++) {
            checkParam(params.get(p).name(), grads[p]);
        }
        return checkInput();
    }

    GradCheck checkParam(String key, float[] analytic) {
        Tensor t = graph.weights().get(key);
        int[] idx = indices(t.size());
        double[] fd = new double[idx.length];
        for (int k = 0; k < idx.length; k++) {
            int i = idx[k];
            float p = t.data()[i];
            float h = 1e-4f * Math.max(1f, Math.abs(p));
            float plus = p + h;
            float minus = p - h;
            double lp = loss(withValue(key, i, plus), x);
            double lm = loss(withValue(key, i, minus), x);
            fd[k] = (lp - lm) / ((double) plus - (double) minus);
        }
        compare(key, idx, fd, analytic);
        return this;
    }

    GradCheck checkInput() {
        float[] analytic = inputGradient();
        int[] idx = indices(x.length);
        double[] fd = new double[idx.length];
        for (int k = 0; k < idx.length; k++) {
            int i = idx[k];
            float v = x[i];
            float h = 1e-4f * Math.max(1f, Math.abs(v));
            float[] xp = x.clone();
            float[] xm = x.clone();
            xp[i] = v + h;
            xm[i] = v - h;
            fd[k] = (loss(graph, xp) - loss(graph, xm)) / ((double) xp[i] - (double) xm[i]);
        }
        compare("input", idx, fd, analytic);
        return this;
    }

    float[] inputGradient() {
        try {
            Method m = worker.getClass().getMethod("inputGradient");
            m.setAccessible(true);
            return (float[]) m.invoke(worker);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static void compare(String what, int[] idx, double[] fd, float[] analytic) {
        double scale = 0;
        for (double v : fd) {
            scale = Math.max(scale, Math.abs(v));
        }
        boolean anyNonZero = false;
        for (int k = 0; k < idx.length; k++) {
            double g = analytic[idx[k]];
            anyNonZero |= g != 0;
            double err = Math.abs(g - fd[k]);
            if (!(err <= RTOL * Math.abs(fd[k]) + RTOL * scale + 1e-5)) {
                fail(what + "[" + idx[k] + "]: generated gradient " + g + ", finite difference " + fd[k]);
            }
        }
        assertTrue(anyNonZero || scale == 0, what + ": every gradient is zero");
    }

    private int[] indices(int size) {
        if (size <= MAX_CHECKED) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] some = new int[MAX_CHECKED];
        for (int i = 0; i < MAX_CHECKED; i++) {
            some[i] = random.nextInt(size);
        }
        return some;
    }

    private Graph withValue(String key, int i, float value) {
        Map<String, Tensor> w = new LinkedHashMap<>(graph.weights());
        Tensor t = w.get(key);
        float[] d = t.data().clone();
        d[i] = value;
        w.put(key, new Tensor(t.name(), t.shape(), d));
        return graph.withWeights(w);
    }
}
