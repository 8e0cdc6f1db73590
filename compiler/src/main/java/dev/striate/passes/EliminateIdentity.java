package dev.striate.passes;

import dev.striate.ir.Graph;
import dev.striate.ir.Node;

/**
 * Removes nodes that return their input unchanged, in any mode, as each op says
 * ({@link dev.striate.ir.Op#isIdentityOn}): {@code linear} activation layers, {@code rescale(1)}
 * and {@code normalize(0, 1)}, {@code dropout(rate=0)}, 1x1 pooling with stride 1 and no padding,
 * and a {@code flatten} of a tensor that is already flat. Exact.
 *
 * <p>A {@code flatten} of a feature map is kept: it changes the shape the next layer sees, and
 * it costs nothing, because the Java backend stores it as a view of its input (the channel-major
 * map already is the flat vector), so no copy is made.
 */
public final class EliminateIdentity implements Pass {
    @Override
    public Graph run(Graph graph) {
        GraphEdit edit = new GraphEdit(graph);
        for (Node n : graph.nodes()) {
            if (n.inputs().size() == 1 && n.op().isIdentityOn(graph.node(n.inputs().get(0)).shape())) {
                edit.remove(n.name(), n.inputs().get(0));
            }
        }
        return edit.build();
    }
}
