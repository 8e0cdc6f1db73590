package dev.striate.backend.train;

import dev.striate.train.ReluBackward;

/**
 * How the trainer class is generated.
 *
 * @param logits        when the model ends in a softmax or sigmoid (fused or standalone), drop it so
 *                      that {@code forward} returns logits for a loss that fuses it (softmax +
 *                      cross-entropy, sigmoid + binary cross-entropy); false for MSE on the outputs
 * @param inputGradient also compute d loss / d input (exposed by the worker's {@code inputGradient()})
 * @param relu          the backward rule of every ReLU (fused or standalone): the true derivative
 *                      for training, deconvnet or guided backpropagation for pictures
 * @param optimize      run the passes that are valid in training first
 *                      ({@link TrainerBackend#trainingGraph}); false only to test the gradient rules
 *                      on the graph as written (every standalone op its own rule)
 */
public record TrainerOptions(boolean logits, boolean inputGradient, ReluBackward relu, boolean optimize) {
    /** Logits out, no input gradient: what {@code striate train} uses. */
    public static final TrainerOptions DEFAULT = new TrainerOptions(true, false);

    public TrainerOptions {
        java.util.Objects.requireNonNull(relu, "relu");
    }

    /** Options with the training passes on. */
    public TrainerOptions(boolean logits, boolean inputGradient, ReluBackward relu) {
        this(logits, inputGradient, relu, true);
    }

    /** Options with the true ReLU derivative and the training passes on. */
    public TrainerOptions(boolean logits, boolean inputGradient) {
        this(logits, inputGradient, ReluBackward.GRADIENT);
    }

    /** These options without the training passes: the trainer of the graph as written. */
    public TrainerOptions unoptimized() {
        return new TrainerOptions(logits, inputGradient, relu, false);
    }
}
