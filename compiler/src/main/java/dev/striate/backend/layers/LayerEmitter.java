package dev.striate.backend.layers;

/**
 * Writes the code of one kind of op: its layer method (fused with bias and activation where the
 * op has them) and its weights, laid out in the order the method reads them. One implementation
 * per op kind; {@link EmitterFactory} picks it.
 */
public interface LayerEmitter {

    /** The layer's code; weights go into {@link LayerContext#blob()}. Not called for the input and views. */
    LayerCode emit(LayerContext ctx);

    /**
     * The layer's batched form ({@link BatchCode}: {@code n} samples per call, the weights in
     * PyTorch's layout, its matrix products written by {@code product}), or null (the default) when
     * the layer has none and runs one sample at a time. The trainer's forward pass runs it.
     */
    default BatchCode emitBatch(LayerContext ctx, MatrixProduct product) {
        return null;
    }
}
