package dev.striate.passes;

import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;

/**
 * Computes every node's shape from its inputs ({@link dev.striate.ir.Op#inferShape}) and reports
 * each shape error at the node's source position. Nodes downstream of an error are left unknown
 * and not reported again.
 */
public final class InferShapes {
    private InferShapes() {
    }

    public static Graph run(Graph graph, Diagnostics diagnostics) {
        throw new UnsupportedOperationException("TODO frontend");
    }
}
