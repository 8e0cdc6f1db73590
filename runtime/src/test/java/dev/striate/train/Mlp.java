package dev.striate.train;

import dev.striate.weights.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A hand-written two-layer perceptron for the loop's tests: {@code dense(h) -> relu -> dropout(p)
 * -> dense(k)}, raw logits out. Stands in for a generated trainer class.
 */
final class Mlp implements TrainableModel {
    private final int in;
    private final int hidden;
    private final int out;
    private final double dropout;
    private final Tensor w1;
    private final Tensor b1;
    private final Tensor w2;
    private final Tensor b2;

    Mlp(int in, int hidden, int out, double dropout, long seed) {
        this.in = in;
        this.hidden = hidden;
        this.out = out;
        this.dropout = dropout;
        SplittableRandom rng = new SplittableRandom(seed);
        w1 = new Tensor("fc1.weight", new int[] {hidden, in}, uniform(rng, hidden * in, Math.sqrt(1.0 / in)));
        b1 = new Tensor("fc1.bias", new int[] {hidden}, uniform(rng, hidden, Math.sqrt(1.0 / in)));
        w2 = new Tensor("fc2.weight", new int[] {out, hidden}, uniform(rng, out * hidden, Math.sqrt(1.0 / hidden)));
        b2 = new Tensor("fc2.bias", new int[] {out}, uniform(rng, out, Math.sqrt(1.0 / hidden)));
    }

    private static float[] uniform(SplittableRandom rng, int n, double bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return v;
    }

    @Override
    public String name() {
        return "Mlp";
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int outputSize() {
        return out;
    }

    @Override
    public List<Tensor> parameters() {
        return List.of(w1, b1, w2, b2);
    }

    @Override
    public List<Tensor> buffers() {
        return List.of();
    }

    @Override
    public Worker newWorker(int maxBatch) {
        return new MlpWorker(maxBatch);
    }

    private final class MlpWorker implements Worker {
        private final float[] x;
        private final float[] h;
        private final float[] mask;
        private final float[] dh;
        private final float[][] grads;
        private int n;

        MlpWorker(int maxBatch) {
            x = new float[maxBatch * in];
            h = new float[maxBatch * hidden];
            mask = new float[maxBatch * hidden];
            dh = new float[hidden];
            grads = new float[][] {new float[w1.size()], new float[b1.size()], new float[w2.size()],
                    new float[b2.size()]};
        }

        @Override
        public void forward(float[] inputs, int n, float[] outputs, long seed) {
            this.n = n;
            System.arraycopy(inputs, 0, x, 0, n * in);
            SplittableRandom rng = new SplittableRandom(seed);
            float keep = (float) (1 / (1 - dropout));
            for (int i = 0; i < n * hidden; i++) {
                mask[i] = dropout > 0 && rng.nextDouble() < dropout ? 0f : keep;
            }
            run(inputs, n, outputs, true);
        }

        @Override
        public void infer(float[] inputs, int n, float[] outputs) {
            float[] saved = h.clone();
            run(inputs, n, outputs, false);
            System.arraycopy(saved, 0, h, 0, h.length);
        }

        private void run(float[] inputs, int n, float[] outputs, boolean training) {
            float[] w = w1.data();
            float[] b = b1.data();
            float[] v = w2.data();
            float[] c = b2.data();
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < hidden; j++) {
                    float a = b[j];
                    for (int i = 0; i < in; i++) {
                        a += w[j * in + i] * inputs[s * in + i];
                    }
                    a = Math.max(a, 0f);
                    h[s * hidden + j] = training ? a * mask[s * hidden + j] : a;
                }
                for (int o = 0; o < out; o++) {
                    float a = c[o];
                    for (int j = 0; j < hidden; j++) {
                        a += v[o * hidden + j] * h[s * hidden + j];
                    }
                    outputs[s * out + o] = a;
                }
            }
        }

        @Override
        public void backward(float[] dOutputs, int n) {
            for (float[] g : grads) {
                java.util.Arrays.fill(g, 0f);
            }
            float[] v = w2.data();
            for (int s = 0; s < n; s++) {
                java.util.Arrays.fill(dh, 0f);
                for (int o = 0; o < out; o++) {
                    float d = dOutputs[s * out + o];
                    grads[3][o] += d;
                    for (int j = 0; j < hidden; j++) {
                        grads[2][o * hidden + j] += d * h[s * hidden + j];
                        dh[j] += d * v[o * hidden + j];
                    }
                }
                for (int j = 0; j < hidden; j++) {
                    // h = relu(a) * mask: the gradient passes where h > 0, scaled by the mask
                    float d = h[s * hidden + j] > 0 ? dh[j] * mask[s * hidden + j] : 0f;
                    grads[1][j] += d;
                    for (int i = 0; i < in; i++) {
                        grads[0][j * in + i] += d * x[s * in + i];
                    }
                }
            }
        }

        @Override
        public float[][] gradients() {
            return grads;
        }
    }
}
