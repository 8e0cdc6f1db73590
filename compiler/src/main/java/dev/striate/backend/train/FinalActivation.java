package dev.striate.backend.train;

import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvTranspose2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Graph;
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
        Op linear = null;
        if (op instanceof Dense d && fusedByLoss(d.activation())) {
            linear = d.withActivation(Activation.IDENTITY);
        } else if (op instanceof Conv2d c && fusedByLoss(c.activation())) {
            linear = c.withActivation(Activation.IDENTITY);
        } else if (op instanceof ConvTranspose2d c && fusedByLoss(c.activation())) {
            linear = new ConvTranspose2d(c.filters(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padH(),
                    c.padW(), c.outputPadH(), c.outputPadW(), c.dilationH(), c.dilationW(), c.groups(), c.bias(),
                    Activation.IDENTITY);
        }
        if (linear == null) {
            return graph;
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : graph.nodes()) {
            nodes.add(n == out ? n.withOp(linear) : n);
        }
        return graph.withNodes(nodes);
    }
}
