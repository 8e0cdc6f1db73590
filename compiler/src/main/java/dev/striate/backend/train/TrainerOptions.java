package dev.striate.backend.train;

/**
 * How the trainer class is generated.
 *
 * @param logits        when the model ends in a softmax or sigmoid (fused or standalone), drop it so
 *                      that {@code forward} returns logits for a loss that fuses it (softmax +
 *                      cross-entropy, sigmoid + binary cross-entropy); false for MSE on the outputs
 * @param inputGradient also compute d loss / d input (exposed by the worker's {@code inputGradient()})
 */
public record TrainerOptions(boolean logits, boolean inputGradient) {
    /** Logits out, no input gradient: what {@code striate train} uses. */
    public static final TrainerOptions DEFAULT = new TrainerOptions(true, false);
}
