package dev.striate.optim;

import java.util.List;

/**
 * Stochastic gradient descent as {@code torch.optim.SGD}: with {@code d = g + weight_decay * w},
 * the momentum buffer starts as {@code d} and then is {@code buf = momentum * buf + (1 - dampening) * d};
 * the step uses {@code d + momentum * buf} with Nesterov and {@code buf} otherwise, and
 * {@code w -= lr * step}. Defaults: momentum 0, dampening 0, no Nesterov, no weight decay (PyTorch
 * has no default learning rate; {@link #builder(double)} takes one).
 */
public final class Sgd extends OptimizerBase {
    private final double momentum;
    private final double dampening;
    private final boolean nesterov;

    private Sgd(Builder b) {
        super("sgd", b.lr, b.regularization, b.momentum != 0 ? List.of("momentum_buffer") : List.of());
        check(b.momentum >= 0, "Invalid momentum value: " + b.momentum);
        check(!b.nesterov || (b.momentum > 0 && b.dampening == 0),
                "Nesterov momentum requires a momentum and zero dampening");
        this.momentum = b.momentum;
        this.dampening = b.dampening;
        this.nesterov = b.nesterov;
    }

    /** A builder with PyTorch's defaults and the given learning rate. */
    public static Builder builder(double lr) {
        return new Builder(lr);
    }

    /** The momentum factor. */
    public double momentum() {
        return momentum;
    }

    /** The dampening of the momentum. */
    public double dampening() {
        return dampening;
    }

    /** Whether the update uses Nesterov momentum. */
    public boolean nesterov() {
        return nesterov;
    }

    @Override
    void update(float[] w, float[] g, float[][] buffers, long step, float l2, float l1) {
        float negLr = (float) -learningRate();
        if (momentum == 0) {
            for (int i = 0; i < w.length; i++) {
                w[i] = w[i] + negLr * penalized(g[i], w[i], l2, l1);
            }
            return;
        }
        float[] buf = buffers[0];
        float m = (float) momentum;
        float keep = (float) (1 - dampening);
        for (int i = 0; i < w.length; i++) {
            float d = penalized(g[i], w[i], l2, l1);
            float b = step == 1 ? d : buf[i] * m + keep * d;
            buf[i] = b;
            float s = nesterov ? d + m * b : b;
            w[i] = w[i] + negLr * s;
        }
    }

    /** Collects the hyper-parameters of an {@link Sgd}; starts from PyTorch's defaults. */
    public static final class Builder {
        private final double lr;
        private double momentum;
        private double dampening;
        private boolean nesterov;
        private Regularization regularization = Regularization.NONE;

        private Builder(double lr) {
            this.lr = lr;
        }

        /** The momentum factor (default 0). */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** The dampening of the momentum (default 0). */
        public Builder dampening(double dampening) {
            this.dampening = dampening;
            return this;
        }

        /** Whether to use Nesterov momentum (default false; needs a momentum and zero dampening). */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /** L2 weight decay and L1 penalty (default none). */
        public Builder regularization(Regularization regularization) {
            this.regularization = regularization;
            return this;
        }

        /** The optimizer; throws {@link IllegalArgumentException} for invalid values, with PyTorch's messages. */
        public Sgd build() {
            return new Sgd(this);
        }
    }
}
