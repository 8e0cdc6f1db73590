package dev.striate.backend.layers;

import com.palantir.javapoet.MethodSpec;

/**
 * What an emitter produced for one layer: the method computing it, whether that method reads
 * the weights array, and an optional in-place softmax method to run after it (kept apart so that
 * {@code classify} can skip a final softmax).
 */
public record LayerCode(MethodSpec method, boolean usesWeights, MethodSpec softmax) {

    public static LayerCode of(MethodSpec method, boolean usesWeights) {
        return new LayerCode(method, usesWeights, null);
    }
}
