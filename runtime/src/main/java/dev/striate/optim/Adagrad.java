package dev.striate.optim;

import java.util.List;

/**
 * Adagrad as {@code torch.optim.Adagrad}: with {@code d = g + weight_decay * w} and step {@code t}
 * counted from 1, {@code clr = lr / (1 + (t - 1) * lr_decay)}, {@code sum += d * d} and
 * {@code w -= clr * d / (sqrt(sum) + eps)}. Defaults: lr 0.01, lr_decay 0,
 * initial_accumulator_value 0, eps 1e-10.
 */
public final class Adagrad extends OptimizerBase {
    private final double lrDecay;
    private final double initialAccumulatorValue;
    private final double eps;

    private Adagrad(Builder b) {
        super("adagrad", b.lr, b.regularization, List.of("sum"));
        check(b.lrDecay >= 0, "Invalid lr_decay value: " + b.lrDecay);
        check(b.initialAccumulatorValue >= 0, "Invalid initial_accumulator_value value: " + b.initialAccumulatorValue);
        check(b.eps >= 0, "Invalid epsilon value: " + b.eps);
        this.lrDecay = b.lrDecay;
        this.initialAccumulatorValue = b.initialAccumulatorValue;
        this.eps = b.eps;
    }

    /** A builder with PyTorch's defaults (lr 0.01). */
    public static Builder builder() {
        return new Builder();
    }

    /** The learning-rate decay per step. */
    public double lrDecay() {
        return lrDecay;
    }

    /** The value the sum of squares starts from. */
    public double initialAccumulatorValue() {
        return initialAccumulatorValue;
    }

    /** The term added to the denominator. */
    public double eps() {
        return eps;
    }

    @Override
    float initialValue(int buffer) {
        return (float) initialAccumulatorValue;
    }

    @Override
    void update(float[] w, float[] g, float[][] buffers, long step, float l2, float l1) {
        float[] sum = buffers[0];
        float negClr = (float) -(learningRate() / (1 + (step - 1) * lrDecay));
        float e = (float) eps;
        for (int i = 0; i < w.length; i++) {
            float d = penalized(g[i], w[i], l2, l1);
            float s = sum[i] + d * d;
            sum[i] = s;
            w[i] = w[i] + negClr * (d / ((float) Math.sqrt(s) + e));
        }
    }

    /** Collects the hyper-parameters of an {@link Adagrad}; starts from PyTorch's defaults. */
    public static final class Builder {
        private double lr = 0.01;
        private double lrDecay;
        private double initialAccumulatorValue;
        private double eps = 1e-10;
        private Regularization regularization = Regularization.NONE;

        private Builder() {
        }

        /** The learning rate (default 0.01). */
        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        /** The learning-rate decay per step (default 0). */
        public Builder lrDecay(double lrDecay) {
            this.lrDecay = lrDecay;
            return this;
        }

        /** The starting value of the sum of squares (default 0). */
        public Builder initialAccumulatorValue(double value) {
            this.initialAccumulatorValue = value;
            return this;
        }

        /** The term added to the denominator (default 1e-10). */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** L2 weight decay and L1 penalty (default none). */
        public Builder regularization(Regularization regularization) {
            this.regularization = regularization;
            return this;
        }

        /** The optimizer; throws {@link IllegalArgumentException} for invalid values. */
        public Adagrad build() {
            return new Adagrad(this);
        }
    }
}
