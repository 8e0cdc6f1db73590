package dev.striate.backend;

import java.util.List;

/**
 * What one instance of a generated class allocates, as the class emitter decided it while
 * writing the fields: the activation buffers {@code buf0, buf1, ...} of the memory plan, the
 * scratch {@code rows}, the {@code result} array of {@code classify} (absent without
 * {@code classify}), and the weights, which every instance from {@code load()} shares.
 *
 * @param bufferFloats the lengths of {@code buf0, buf1, ...}
 * @param rowFloats    floats in all scratch rows together
 * @param resultFloats length of {@code result}, 0 when the class has none
 * @param weightFloats floats in the weights blob
 * @param winogradFloats floats of transformed weights the scalar code makes from the blob on its first
 *                       call (its Winograd layers, {@code ScalarWinograd}), shared like the weights; 0 when none
 */
public record ClassFootprint(List<Integer> bufferFloats, long rowFloats, int resultFloats, int weightFloats,
                             long winogradFloats) {
    public ClassFootprint {
        bufferFloats = List.copyOf(bufferFloats);
    }

    /** Floats in the activation buffers together. */
    public long activationFloats() {
        long sum = 0;
        for (int b : bufferFloats) {
            sum += b;
        }
        return sum;
    }

    /** Floats one instance owns: activation buffers, scratch rows and result. */
    public long perInstanceFloats() {
        return activationFloats() + rowFloats + resultFloats;
    }
}
