package dev.striate.backend.train;

import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Graph;
import dev.striate.ir.LinearLayer;
import dev.striate.ir.Node;
import dev.striate.ir.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes a softmax or sigmoid at the very end of a model, so a trainer outputs logits for a loss
 * that fuses it (softmax + cross-entropy, sigmoid + binary cross-entropy): a standalone output
 * activation is bypassed, a fused one is set to linear.
 */
final class FinalActivation {
    private FinalActivation() {
    }

    private static boolean fusedByLoss(Activation a) {
        return a instanceof Activation.Softmax || a instanceof Activation.Sigmoid;
    }

    /** The softmax or sigmoid at the very end of {@code graph} that {@link #strip} removes, or null. */
    static Activation stripped(Graph graph) {
        Op op = graph.node(graph.outputs().get(0)).op();
        Activation a = op instanceof Activate activate ? activate.activation()
                : op instanceof LinearLayer layer ? layer.activation() : null;
        return a != null && fusedByLoss(a) ? a : null;
    }

    static Graph strip(Graph graph) {
        if (stripped(graph) == null) {
            return graph;
        }
        Node out = graph.node(graph.outputs().get(0));
        Op op = out.op();
        if (op instanceof Activate) {
            return graph.withOutputs(List.of(out.inputs().get(0)));
        }
        LinearLayer layer = (LinearLayer) op;
        Op linear = layer.withActivation(Activation.IDENTITY);
        List<Node> nodes = new ArrayList<>();
        for (Node n : graph.nodes()) {
            nodes.add(n == out ? n.withOp(linear) : n);
        }
        return graph.withNodes(nodes);
    }
}
