package dev.striate.optim;

import java.util.List;

/**
 * Adam as {@code torch.optim.Adam}: with {@code d = g + weight_decay * w} and step {@code t} counted
 * from 1, {@code m = beta1 * m + (1 - beta1) * d}, {@code v = beta2 * v + (1 - beta2) * d * d}
 * (with AMSGrad {@code vmax = max(vmax, v)} replaces {@code v} below), and
 * {@code w -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)}.
 * Defaults: lr 0.001, betas (0.9, 0.999), eps 1e-8, no AMSGrad. Weight decay is L2 added to the
 * gradient (Adam, not AdamW).
 */
public final class Adam extends OptimizerBase {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final boolean amsgrad;

    private Adam(Builder b) {
        super("adam", b.lr, b.regularization, b.amsgrad
                ? List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq") : List.of("exp_avg", "exp_avg_sq"));
        check(b.eps >= 0, "Invalid epsilon value: " + b.eps);
        check(b.beta1 >= 0 && b.beta1 < 1, "Invalid beta parameter at index 0: " + b.beta1);
        check(b.beta2 >= 0 && b.beta2 < 1, "Invalid beta parameter at index 1: " + b.beta2);
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.eps = b.eps;
        this.amsgrad = b.amsgrad;
    }

    /** A builder with PyTorch's defaults (lr 0.001). */
    public static Builder builder() {
        return new Builder();
    }

    /** The decay of the first moment. */
    public double beta1() {
        return beta1;
    }

    /** The decay of the second moment. */
    public double beta2() {
        return beta2;
    }

    /** The term added to the denominator. */
    public double eps() {
        return eps;
    }

    /** Whether the AMSGrad variant is used. */
    public boolean amsgrad() {
        return amsgrad;
    }

    @Override
    void update(float[] w, float[] g, float[][] buffers, long step, float l2, float l1) {
        float[] m = buffers[0];
        float[] v = buffers[1];
        float[] vmax = amsgrad ? buffers[2] : null;
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        float negStepSize = (float) -(learningRate() / biasCorrection1);
        float bc2Sqrt = (float) Math.sqrt(biasCorrection2);
        float e = (float) eps;
        for (int i = 0; i < w.length; i++) {
            float d = penalized(g[i], w[i], l2, l1);
            float mi = m[i] * b1 + oneMinusB1 * d;
            float vi = v[i] * b2 + oneMinusB2 * d * d;
            m[i] = mi;
            v[i] = vi;
            if (vmax != null) {
                vi = Math.max(vmax[i], vi);
                vmax[i] = vi;
            }
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + e;
            w[i] = w[i] + negStepSize * (mi / denom);
        }
    }

    /** Collects the hyper-parameters of an {@link Adam}; starts from PyTorch's defaults. */
    public static final class Builder {
        private double lr = 0.001;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private boolean amsgrad;
        private Regularization regularization = Regularization.NONE;

        private Builder() {
        }

        /** The learning rate (default 0.001). */
        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        /** The decays of the first and second moments (default 0.9 and 0.999). */
        public Builder betas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** The term added to the denominator (default 1e-8). */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** Whether to use AMSGrad (default false). */
        public Builder amsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return this;
        }

        /** L2 weight decay and L1 penalty (default none). */
        public Builder regularization(Regularization regularization) {
            this.regularization = regularization;
            return this;
        }

        /** The optimizer; throws {@link IllegalArgumentException} for invalid values. */
        public Adam build() {
            return new Adam(this);
        }
    }
}
