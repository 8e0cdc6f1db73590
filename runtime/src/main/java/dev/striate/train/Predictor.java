package dev.striate.train;

/**
 * One instance of a model's inference code, such as a class {@code striate compile} generates
 * ({@code predict(float[] input, float[] output)}): it owns its scratch buffers, so each thread
 * uses its own. An {@link Evaluator} built with {@link Evaluator#ofPredictors} runs these.
 */
@FunctionalInterface
public interface Predictor {
    /** Runs the model on one input and writes its outputs. */
    void predict(float[] input, float[] output);
}
