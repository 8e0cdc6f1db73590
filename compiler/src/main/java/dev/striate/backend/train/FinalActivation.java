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

    static Graph strip(Graph graph) {
        Node out = graph.node(graph.outputs().get(0));
        Op op = out.op();
        if (op instanceof Activate a && fusedByLoss(a.activation())) {
            return graph.withOutputs(List.of(out.inputs().get(0)));
        }
        if (!(op instanceof LinearLayer layer) || !fusedByLoss(layer.activation())) {
            return graph;
        }
        Op linear = layer.withActivation(Activation.IDENTITY);
        List<Node> nodes = new ArrayList<>();
        for (Node n : graph.nodes()) {
            nodes.add(n == out ? n.withOp(linear) : n);
        }
        return graph.withNodes(nodes);
    }
}
