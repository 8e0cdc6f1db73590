package dev.striate.optim;

import java.util.List;

/**
 * What every optimizer shares: the learning rate, the regularization, the step count and the
 * per-parameter state buffers, with the argument checks of {@link Optimizer#step}. Subclasses
 * implement {@link #update} for one parameter.
 */
abstract class OptimizerBase implements Optimizer {
    private final String name;
    private final List<String> stateNames;
    private final Regularization regularization;
    private double learningRate;
    private long steps;
    private float[][][] state;

    OptimizerBase(String name, double learningRate, Regularization regularization, List<String> stateNames) {
        checkLearningRate(learningRate);
        this.name = name;
        this.learningRate = learningRate;
        this.regularization = regularization;
        this.stateNames = List.copyOf(stateNames);
    }

    static void checkLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("Invalid learning rate: " + lr);
        }
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final double learningRate() {
        return learningRate;
    }

    @Override
    public final void setLearningRate(double learningRate) {
        checkLearningRate(learningRate);
        this.learningRate = learningRate;
    }

    @Override
    public final Regularization regularization() {
        return regularization;
    }

    @Override
    public final List<String> stateNames() {
        return stateNames;
    }

    @Override
    public final long steps() {
        return steps;
    }

    @Override
    public final void setSteps(long steps) {
        check(steps >= 0, "steps must not be negative, got " + steps);
        this.steps = steps;
    }

    @Override
    public final void allocate(int[] sizes) {
        float[][][] s = new float[sizes.length][stateNames.size()][];
        for (int p = 0; p < sizes.length; p++) {
            for (int b = 0; b < stateNames.size(); b++) {
                s[p][b] = new float[sizes[p]];
                java.util.Arrays.fill(s[p][b], initialValue(b));
            }
        }
        state = s;
    }

    /** The value buffer {@code buffer} starts with; zero unless a subclass says otherwise. */
    float initialValue(int buffer) {
        return 0f;
    }

    @Override
    public final float[][] state(int param) {
        if (state == null) {
            throw new IllegalStateException("no state yet: call allocate(sizes) or step(...) first");
        }
        return state[param];
    }

    @Override
    public final void step(float[][] params, float[][] grads) {
        check(params.length == grads.length,
                params.length + " parameters but " + grads.length + " gradients");
        for (int p = 0; p < params.length; p++) {
            check(params[p].length == grads[p].length, "parameter " + p + " has " + params[p].length
                    + " values but its gradient has " + grads[p].length);
        }
        if (state == null) {
            int[] sizes = new int[params.length];
            for (int p = 0; p < params.length; p++) {
                sizes[p] = params[p].length;
            }
            allocate(sizes);
        }
        check(state.length == params.length,
                "the optimizer holds state for " + state.length + " parameters, got " + params.length);
        for (int p = 0; p < params.length; p++) {
            if (state[p].length > 0) {
                check(state[p][0].length == params[p].length, "parameter " + p + " has " + params[p].length
                        + " values but its optimizer state has " + state[p][0].length);
            }
        }
        steps++;
        float l2 = (float) regularization.l2();
        float l1 = (float) regularization.l1();
        for (int p = 0; p < params.length; p++) {
            update(params[p], grads[p], state[p], steps, l2, l1);
        }
    }

    /** The gradient element with the regularization terms added (L1 first, then weight decay, like PyTorch's order). */
    static float penalized(float g, float w, float l2, float l1) {
        if (l1 != 0) {
            g = g + l1 * Math.signum(w);
        }
        if (l2 != 0) {
            g = g + l2 * w;
        }
        return g;
    }

    /**
     * Updates one parameter in place; {@code step} counts from 1 and {@code l2}/{@code l1} are the
     * regularization coefficients in float.
     */
    abstract void update(float[] param, float[] grad, float[][] buffers, long step, float l2, float l1);
}
