package dev.striate.passes;

import dev.striate.ir.Activate;
import dev.striate.ir.Graph;
import dev.striate.ir.LinearLayer;
import dev.striate.ir.Node;

/**
 * Fuses a standalone activation into the conv2d, conv_transpose2d or dense layer before it, when
 * that layer has no activation of its own ({@code linear}) and the activation is its only reader
 * (and the layer's value is no graph output): the layer's {@code activation} becomes the
 * activation's and the activation node goes, so the backend applies it in the layer's loop
 * nest instead of a second pass over memory. Exact in any mode (the layer computes the same
 * function). Softmax fuses too: the backend still runs it as its own loop after the layer,
 * which {@code classify} skips.
 *
 * <p>Explicit pad ops are merged into the conv by {@link MergePad}; the pool that follows a
 * conv is fused into it by {@link FusePool} (inference only).
 */
public final class FuseActivation implements Pass {
    @Override
    public Graph run(Graph graph) {
        GraphEdit edit = new GraphEdit(graph);
        for (Node n : graph.nodes()) {
            if (!(n.op() instanceof Activate a) || a.activation().isIdentity()) {
                continue;
            }
            Node layer = graph.node(n.inputs().get(0));
            if (!(layer.op() instanceof LinearLayer linear) || !linear.activation().isIdentity()
                    || Layers.soleReader(graph, layer.name()) == null) {
                continue;
            }
            edit.replace(layer.withOp(linear.withActivation(a.activation())));
            edit.remove(n.name(), layer.name());
        }
        return edit.build();
    }
}
