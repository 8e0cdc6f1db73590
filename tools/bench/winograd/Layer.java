import java.util.Random;

/** One layer: input h x w x c (HWC), f output channels, 3x3 pad 1 stride 1, ReLU. */
final class Layer {
    final String name;
    final int h;
    final int w;
    final int c;
    final int f;
    final float[] x;
    final float[] weights;     // [f][c][3][3], as PyTorch stores it
    final float[] bias;

    Layer(String name, int h, int w, int c, int f, long seed) {
        this.name = name;
        this.h = h;
        this.w = w;
        this.c = c;
        this.f = f;
        Random r = new Random(seed);
        x = new float[h * w * c];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(0f, (float) r.nextGaussian());      // post-ReLU activations, O(1)
        }
        weights = new float[f * c * 9];
        double bound = Math.sqrt(6.0 / (9 * c));              // Kaiming-uniform scale: outputs stay O(1)
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) ((2 * r.nextDouble() - 1) * bound);
        }
        bias = new float[f];
        for (int i = 0; i < f; i++) {
            bias[i] = (float) ((2 * r.nextDouble() - 1) * 0.1);
        }
    }

    double flops() {
        return 2.0 * 9 * c * f * h * w;
    }

    static double[] reference(Layer l, double[] x) {
        double[] y = new double[l.h * l.w * l.f];
        for (int oy = 0; oy < l.h; oy++) {
            for (int ox = 0; ox < l.w; ox++) {
                for (int o = 0; o < l.f; o++) {
                    double s = l.bias[o];
                    for (int ky = 0; ky < 3; ky++) {
                        int iy = oy + ky - 1;
                        if (iy < 0 || iy >= l.h) {
                            continue;
                        }
                        for (int kx = 0; kx < 3; kx++) {
                            int ix = ox + kx - 1;
                            if (ix < 0 || ix >= l.w) {
                                continue;
                            }
                            int xi = (iy * l.w + ix) * l.c;
                            int wi = o * l.c * 9 + ky * 3 + kx;
                            for (int ci = 0; ci < l.c; ci++) {
                                s += x[xi + ci] * l.weights[wi + ci * 9];
                            }
                        }
                    }
                    y[(oy * l.w + ox) * l.f + o] = Math.max(0, s);
                }
            }
        }
        return y;
    }

    /** Copies HWC {@code x} into the interior of a zero-padded {@code hp x wp} buffer (1 pixel top/left). */
    static void pad(float[] x, int h, int w, int c, float[] xp, int wp) {
        for (int iy = 0; iy < h; iy++) {
            System.arraycopy(x, iy * w * c, xp, ((iy + 1) * wp + 1) * c, w * c);
        }
    }
}
