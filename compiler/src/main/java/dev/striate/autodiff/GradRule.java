package dev.striate.autodiff;

/**
 * The gradient rule of one op kind: emits the op's training-mode forward method and its backward
 * method. Conventions: activations are batches of {@code n} samples, sample-major; the backward
 * method adds into input gradients ({@code +=}, they start at zero) and into parameter gradients
 * (zeroed before each backward pass), and may overwrite the gradient of its own output.
 */
public interface GradRule {

    /**
     * Adds the training-mode forward method(s) through {@link RuleContext#addForward}. By default
     * the forward pass is the inference class's code for the op ({@link RuleContext#classForward}):
     * only rules whose training forward must differ (batch statistics, dropout masks) or that are
     * not yet moved onto the class's emitters override this; see
     * {@code docs/adding-an-op.md}.
     */
    default void forward(RuleContext ctx) {
        ctx.addForward(ctx.classForward(keptPreActivation(ctx), keptArgmax(ctx)));
    }

    /**
     * The training fusion plan's part of this rule: the batch array where the forward pass must keep
     * the layer's output before its fused activation (its backward reads it), or null (the default:
     * the backward needs only the layer's input and output activations).
     */
    default String keptPreActivation(RuleContext ctx) {
        return null;
    }

    /**
     * The other part of the training fusion plan: the batch {@code int} array where a max pool's
     * forward pass must keep each output's argmax (see {@link RuleContext#classForward(String, String)}),
     * or null (the default).
     */
    default String keptArgmax(RuleContext ctx) {
        return null;
    }

    /** Adds the backward method(s) through {@link RuleContext#addBackward}. */
    void backward(RuleContext ctx);

    /**
     * Adds inference-mode forward method(s) through {@link RuleContext#addInference} and returns
     * true, for ops whose inference differs from training (batch norm, dropout); by default
     * returns false and inference reuses the training forward methods.
     */
    default boolean inference(RuleContext ctx) {
        return false;
    }
}
