package dev.striate.ir;

/**
 * The weighted linear layers: conv2d, conv_transpose2d and dense. Each multiplies its input by a
 * learned {@code weight} (output channels first, PyTorch's layout), optionally adds a learned
 * {@code bias} per output channel, then applies its {@link #activation()}. The folding and fusing
 * passes rewrite any of them through this interface (fuse a following activation, fold a batch
 * norm into the weights and a new bias), so a new layer of this family implements it once and
 * every such pass handles it.
 */
public sealed interface LinearLayer extends Op permits Conv2d, ConvTranspose2d, Dense {

    /** The activation applied after the bias ({@link Activation#IDENTITY} for none). */
    Activation activation();

    /** True when the layer has a {@code bias} parameter. */
    boolean bias();

    /** The same layer with activation {@code a}. */
    LinearLayer withActivation(Activation a);

    /** The same layer with or without a {@code bias} parameter (whose values the caller binds). */
    LinearLayer withBias(boolean bias);

    /**
     * The output channel that element {@code index} of the {@code weight} (flat, in PyTorch's
     * layout, of shape {@code weightShape}) contributes to; passes that rescale output channels
     * (folding a batch norm) read the layout from here.
     */
    int outputChannelOf(int[] weightShape, int index);

    /** For weights whose first axis is the output channel ({@code [F, ...]}): {@code index}'s position on it. */
    static int leadingIndex(int[] weightShape, int index) {
        int block = 1;
        for (int i = 1; i < weightShape.length; i++) {
            block *= weightShape[i];
        }
        return index / block;
    }

    @Override
    default Activation appliedActivation() {
        return activation();
    }
}
