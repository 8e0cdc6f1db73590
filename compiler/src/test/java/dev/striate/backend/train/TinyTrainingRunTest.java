package dev.striate.backend.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activation;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import dev.striate.optim.Sgd;
import dev.striate.testing.GraphBuilder;
import dev.striate.train.TrainableModel;
import dev.striate.train.loss.SoftmaxCrossEntropy;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded end-to-end training run: a small conv net (conv, batch norm, max pool, dropout, dense)
 * learns a synthetic problem (is the bright bar vertical or horizontal?) with plain SGD; the loss
 * must fall below a bound, and two runs must give bit-for-bit identical weights.
 */
class TinyTrainingRunTest {
    private static final int SIDE = 8;

    private static GraphBuilder net() {
        GraphBuilder b = new GraphBuilder("Bars", 17);
        String x = b.input(Shape.chw(1, SIDE, SIDE));
        x = b.add("conv", new Conv2d(4, 3, 3, 1, 1, Padding.Explicit.of(1), 1, 1, 1, false, Activation.IDENTITY), x);
        x = b.add("bn", new BatchNorm(1e-5f, 0.1f), x);
        x = b.add("relu", new dev.striate.ir.Activate(Activation.RELU), x);
        x = b.add("pool", new Pool2d(Pool2d.Kind.MAX, 2, 2, 2, 2, Padding.VALID, true), x);
        x = b.add("flat", new Flatten(), x);
        x = b.add("drop", new Dropout(0.1f), x);
        return b.output(b.add("fc", new Dense(2, true, Activation.SOFTMAX), x));
    }

    /** Batch {@code step}: bars at random positions plus noise; label 1 for vertical. */
    private static void batch(Random r, float[] x, int[] y) {
        for (int s = 0; s < y.length; s++) {
            y[s] = r.nextInt(2);
            int at = r.nextInt(SIDE);
            for (int i = 0; i < SIDE * SIDE; i++) {
                int row = i / SIDE;
                int col = i % SIDE;
                boolean on = y[s] == 1 ? col == at : row == at;
                x[s * SIDE * SIDE + i] = (on ? 1f : 0f) + 0.2f * (float) r.nextGaussian();
            }
        }
    }

    private static float[][] train(double[] finalLoss) {
        TrainableModel m = TrainerBackend.load(net().build());
        int n = 16;
        TrainableModel.Worker w = m.newWorker(n);
        Sgd sgd = Sgd.builder(0.05).momentum(0.9).build();
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Random data = new Random(99);
        float[] x = new float[n * SIDE * SIDE];
        int[] y = new int[n];
        float[] out = new float[n * 2];
        float[] dOut = new float[n * 2];
        float[][] params = m.parameters().stream().map(t -> t.data()).toArray(float[][]::new);
        double recent = 0;
        int steps = 150;
        for (int step = 0; step < steps; step++) {
            batch(data, x, y);
            w.forward(x, n, out, step);
            double l = loss.forwardBackward(out, y, null, n, 2, dOut);
            w.backward(dOut, n);
            sgd.step(params, w.gradients());
            if (step >= steps - 20) {
                recent += l / 20;
            }
        }
        finalLoss[0] = recent;
        float[][] state = new float[params.length + m.buffers().size()][];
        for (int i = 0; i < params.length; i++) {
            state[i] = params[i].clone();
        }
        for (int i = 0; i < m.buffers().size(); i++) {
            state[params.length + i] = m.buffers().get(i).data().clone();
        }
        return state;
    }

    @Test
    void convergesAndIsReproducibleBitForBit() {
        double[] loss1 = new double[1];
        double[] loss2 = new double[1];
        float[][] a = train(loss1);
        float[][] b = train(loss2);
        assertTrue(loss1[0] < 0.1, "mean loss over the last 20 steps: " + loss1[0]);
        assertTrue(loss1[0] == loss2[0], "same loss in both runs");
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "tensor " + i + " identical in both runs");
        }
    }
}
