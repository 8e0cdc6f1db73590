package dev.striate.backend.layers;

import com.palantir.javapoet.MethodSpec;
import java.util.List;

/**
 * A layer's batched form ({@link LayerEmitter#emitBatch}): a method over {@code n} samples taking,
 * in this order, the op's parameters in PyTorch's layout ({@code params}, by name), {@code in},
 * {@code out} (whole batches, sample-major), {@code int n}, one scratch {@code float[]} per entry of
 * {@code scratch} (at least that many floats) and the product's parameters; plus, as in
 * {@link LayerCode}, an in-place softmax method to run on each sample after it, or null.
 */
public record BatchCode(MethodSpec method, List<String> params, List<Integer> scratch, MethodSpec softmax) {
}
