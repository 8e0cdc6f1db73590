package dev.striate.passes;

import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.ir.SourcePos;
import dev.striate.weights.WeightSet;

/**
 * Binds a weights file to a shaped graph: every parameter the ops need must be present with
 * the exact shape and finite values; extra tensors are errors. Each mismatch is reported,
 * naming the tensor and both shapes.
 */
public final class BindWeights {
    private BindWeights() {
    }

    /**
     * @param weightsPos where the weights file is (for diagnostics about extra tensors)
     */
    public static Graph run(Graph graph, WeightSet weights, SourcePos weightsPos, Diagnostics diagnostics) {
        throw new UnsupportedOperationException("TODO weights");
    }
}
