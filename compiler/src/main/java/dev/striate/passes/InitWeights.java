package dev.striate.passes;

import dev.striate.ir.Graph;
import dev.striate.weights.WeightSet;

/**
 * Seeded random weights for a shaped graph ({@code striate init}): He uniform for layers
 * followed by ReLU-family activations, Glorot uniform otherwise, zeros for biases, batch-norm
 * statistics at their identity values. Same seed, same bytes.
 */
public final class InitWeights {
    private InitWeights() {
    }

    public static WeightSet run(Graph graph, long seed) {
        throw new UnsupportedOperationException("TODO weights");
    }
}
