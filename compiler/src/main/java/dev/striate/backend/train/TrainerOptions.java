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
 */
public record TrainerOptions(boolean logits, boolean inputGradient, ReluBackward relu) {
    /** Logits out, no input gradient: what {@code striate train} uses. */
    public static final TrainerOptions DEFAULT = new TrainerOptions(true, false);

    public TrainerOptions {
        java.util.Objects.requireNonNull(relu, "relu");
    }

    /** Options with the true ReLU derivative. */
    public TrainerOptions(boolean logits, boolean inputGradient) {
        this(logits, inputGradient, ReluBackward.GRADIENT);
    }
}
