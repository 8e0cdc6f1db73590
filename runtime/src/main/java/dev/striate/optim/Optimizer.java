package dev.striate.optim;

import java.util.List;

/**
 * Updates {@code float[]} parameters in place from their gradients, one step at a time, with the
 * update rules and defaults of PyTorch's {@code torch.optim}. Parameters are passed as parallel
 * arrays {@code params[i]} / {@code grads[i]}, in the same order and with the same lengths on
 * every call; the optimizer keeps its state (momentum buffers, running averages) per parameter.
 *
 * <p>The state is exposed for checkpoints: {@link #stateNames()} names the buffers each parameter
 * has, {@link #state(int)} returns the live arrays, and {@link #steps()} the number of steps taken.
 * To restore, call {@link #allocate(int[])} with the parameter sizes, copy the saved values into
 * the arrays returned by {@link #state(int)}, and {@link #setSteps(long)}.
 *
 * <p>Instances are not thread-safe.
 */
public interface Optimizer {
    /** A short lower-case name: {@code sgd}, {@code adagrad}, {@code rmsprop} or {@code adam}. */
    String name();

    /** The learning rate the next step uses. */
    double learningRate();

    /** Sets the learning rate for the next steps (a {@link dev.striate.optim.schedule.Schedule} drives this). */
    void setLearningRate(double learningRate);

    /** The regularization (L2 weight decay and L1) added to every gradient before the update. */
    Regularization regularization();

    /**
     * The names of the per-parameter state buffers, in the order {@link #state(int)} returns them,
     * e.g. {@code [exp_avg, exp_avg_sq]} for Adam; PyTorch's names. Empty for plain SGD.
     */
    List<String> stateNames();

    /** Updates every {@code params[i]} in place from {@code grads[i]}; the gradients are not modified. */
    void step(float[][] params, float[][] grads);

    /** The number of steps taken so far (PyTorch's {@code state['step']}). */
    long steps();

    /** Sets the step count, when restoring a checkpoint. */
    void setSteps(long steps);

    /**
     * Creates the state for parameters of the given sizes, with PyTorch's initial values, replacing
     * any previous state. {@link #step} calls this on its first call if it was not called before.
     */
    void allocate(int[] sizes);

    /** The live state buffers of parameter {@code param}, in {@link #stateNames()} order. */
    float[][] state(int param);
}
