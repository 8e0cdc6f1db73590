package dev.striate.passes;

import dev.striate.ir.Activate;
import dev.striate.ir.ChannelAffineOp;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Op;
import dev.striate.ir.Pool2d;

/**
 * Removes nodes that return their input unchanged, in any mode: {@code linear} activation
 * layers, {@code rescale(1)} and {@code normalize(0, 1)}, {@code dropout(rate=0)}, 1x1 pooling
 * with stride 1 and no padding, and a {@code flatten} of a tensor that is already flat. Exact.
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
            if (n.inputs().size() == 1 && isIdentity(graph, n)) {
                edit.remove(n.name(), n.inputs().get(0));
            }
        }
        return edit.build();
    }

    static boolean isIdentity(Graph graph, Node n) {
        Op op = n.op();
        if (op instanceof Activate a) {
            return a.activation().isIdentity();
        } else if (op instanceof Dropout d) {
            return d.rate() == 0f;
        } else if (op instanceof Flatten) {
            return graph.node(n.inputs().get(0)).shape().rank() == 1;
        } else if (op instanceof Pool2d p) {
            return p.kernelH() == 1 && p.kernelW() == 1 && p.strideH() == 1 && p.strideW() == 1
                    && p.resolvedPadding(graph.node(n.inputs().get(0)).shape()).isZero();
        } else if (op instanceof ChannelAffineOp affine) {
            return ChannelAffine.of(affine, n.shape().channels()).isIdentity();
        }
        return false;
    }
}
