package dev.striate.train;

/**
 * How a generated backward pass carries a gradient back through a ReLU, for pictures of what a
 * unit responds to ({@code striate show activations}); training always uses {@link #GRADIENT}.
 * With {@code x} the ReLU's input and {@code dy} the signal arriving from above:
 * <ul>
 *   <li>{@link #GRADIENT}: {@code dy} where {@code x > 0}, else 0 (the true derivative);</li>
 *   <li>{@link #DECONVNET}: {@code max(dy, 0)}, whatever the sign of {@code x} (Zeiler and
 *       Fergus, 2014: the ReLU applied to the backward signal, the forward mask ignored);</li>
 *   <li>{@link #GUIDED}: {@code max(dy, 0)} where {@code x > 0}, else 0 (Springenberg et al.,
 *       2015, guided backpropagation: both masks).</li>
 * </ul>
 */
public enum ReluBackward {
    GRADIENT, DECONVNET, GUIDED
}
