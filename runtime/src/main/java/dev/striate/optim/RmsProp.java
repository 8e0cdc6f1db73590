package dev.striate.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * RMSprop as {@code torch.optim.RMSprop}: with {@code d = g + weight_decay * w},
 * {@code sq = alpha * sq + (1 - alpha) * d * d}; centered, {@code ga = alpha * ga + (1 - alpha) * d}
 * and {@code avg = sqrt(sq - ga * ga) + eps}, otherwise {@code avg = sqrt(sq) + eps}; with momentum
 * {@code buf = momentum * buf + d / avg} and {@code w -= lr * buf}, otherwise {@code w -= lr * d / avg}.
 * Defaults: lr 0.01, alpha 0.99, eps 1e-8, momentum 0, not centered. This is also TF-Keras 2's
 * {@code RMSprop} (optimizer_v2) without momentum, which adds epsilon outside the root
 * ({@code w -= lr * g / (sqrt(v) + eps)}), with its {@code rho} as {@code alpha}.
 *
 * <p>The {@linkplain Builder#keras Keras form} follows Keras 3's {@code RMSprop} exactly: epsilon
 * inside the root, {@code avg = sqrt(sq + eps)} (centered: {@code sqrt(sq - ga * ga + eps)}), and
 * momentum over learning-rate-scaled increments: {@code buf = momentum * buf + lr * d / avg},
 * {@code w -= buf}; without momentum {@code w -= lr * d / avg}. (TF-Keras 2 with momentum uses the
 * same formula through TensorFlow's {@code ApplyRMSProp} kernel.) Keras' defaults, lr 0.001,
 * rho 0.9, epsilon 1e-7, are not set by the form; pass them.
 */
public final class RmsProp extends OptimizerBase {
    private final double alpha;
    private final double eps;
    private final double momentum;
    private final boolean centered;
    private final boolean keras;

    private RmsProp(Builder b) {
        super("rmsprop", b.lr, b.regularization, names(b.momentum, b.centered));
        check(b.eps >= 0, "Invalid epsilon value: " + b.eps);
        check(b.momentum >= 0, "Invalid momentum value: " + b.momentum);
        check(b.alpha >= 0, "Invalid alpha value: " + b.alpha);
        this.alpha = b.alpha;
        this.eps = b.eps;
        this.momentum = b.momentum;
        this.centered = b.centered;
        this.keras = b.keras;
    }

    private static List<String> names(double momentum, boolean centered) {
        List<String> names = new ArrayList<>(List.of("square_avg"));
        if (momentum > 0) {
            names.add("momentum_buffer");
        }
        if (centered) {
            names.add("grad_avg");
        }
        return names;
    }

    /** A builder with PyTorch's defaults (lr 0.01). */
    public static Builder builder() {
        return new Builder();
    }

    /** The smoothing constant of the running averages. */
    public double alpha() {
        return alpha;
    }

    /** The term added to the denominator. */
    public double eps() {
        return eps;
    }

    /** The momentum factor. */
    public double momentum() {
        return momentum;
    }

    /** Whether the second moment is centered by the running mean of the gradient. */
    public boolean centered() {
        return centered;
    }

    /** Whether this is the Keras form (epsilon inside the root, momentum over lr-scaled steps). */
    public boolean keras() {
        return keras;
    }

    @Override
    void update(float[] w, float[] g, float[][] buffers, long step, float l2, float l1) {
        float[] sq = buffers[0];
        float[] buf = momentum > 0 ? buffers[1] : null;
        float[] ga = centered ? buffers[buffers.length - 1] : null;
        float a = (float) alpha;
        float oneMinusA = (float) (1 - alpha);
        float m = (float) momentum;
        float e = (float) eps;
        float negLr = (float) -learningRate();
        for (int i = 0; i < w.length; i++) {
            float d = penalized(g[i], w[i], l2, l1);
            float s = sq[i] * a + oneMinusA * d * d;
            sq[i] = s;
            float avg;
            if (ga != null) {
                float mean = ga[i] * a + oneMinusA * d;
                ga[i] = mean;
                avg = keras ? (float) Math.sqrt(s - mean * mean + e) : (float) Math.sqrt(s - mean * mean) + e;
            } else {
                avg = keras ? (float) Math.sqrt(s + e) : (float) Math.sqrt(s) + e;
            }
            if (keras) {
                float inc = -negLr * d / avg;
                if (buf != null) {
                    inc = buf[i] * m + inc;
                    buf[i] = inc;
                }
                w[i] = w[i] - inc;
            } else if (buf != null) {
                float b = buf[i] * m + d / avg;
                buf[i] = b;
                w[i] = w[i] + negLr * b;
            } else {
                w[i] = w[i] + negLr * (d / avg);
            }
        }
    }

    /** Collects the hyper-parameters of an {@link RmsProp}; starts from PyTorch's defaults. */
    public static final class Builder {
        private double lr = 0.01;
        private double alpha = 0.99;
        private double eps = 1e-8;
        private double momentum;
        private boolean centered;
        private boolean keras;
        private Regularization regularization = Regularization.NONE;

        private Builder() {
        }

        /** The learning rate (default 0.01). */
        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        /** The smoothing constant (default 0.99). */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** The term added to the denominator (default 1e-8). */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** The momentum factor (default 0). */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Whether to center the second moment (default false). */
        public Builder centered(boolean centered) {
            this.centered = centered;
            return this;
        }

        /** Whether to use Keras 3's formulas (default false: PyTorch's); see the class comment. */
        public Builder keras(boolean keras) {
            this.keras = keras;
            return this;
        }

        /** L2 weight decay and L1 penalty (default none). */
        public Builder regularization(Regularization regularization) {
            this.regularization = regularization;
            return this;
        }

        /** The optimizer; throws {@link IllegalArgumentException} for invalid values. */
        public RmsProp build() {
            return new RmsProp(this);
        }
    }
}
