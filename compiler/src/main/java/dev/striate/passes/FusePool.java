package dev.striate.passes;

import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvPool;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;

/**
 * Fuses a max or average pool into the conv2d it reads ({@link ConvPool}), inference only: the
 * backend then pools each output channel's activated plane while it is still in scratch instead
 * of storing the conv's whole map and reading it back in a second method. The fused node keeps
 * the conv's name (its weights still bind) and takes the pool's shape; readers of the pool read
 * it instead.
 *
 * <p>Fuses only where it pays and the backend's one-plane form applies, all of it decided by
 * shapes: the pool is the conv's sole reader (and the conv's value is no graph output), the pool
 * has no padding, the conv's activation is element-wise (not softmax), and the conv's output
 * plane is computed whole in one scratch row: more than {@link #MIN_PLANE} pixels (smaller
 * planes are summed in locals) and at most {@link #MAX_UNFOLDED} floats of unfolded input
 * (larger convolutions run in bands of rows). Both limits are the backend's
 * ({@code ConvRows}); a backend test checks they agree.
 */
public final class FusePool implements Pass {
    /** Planes of at most this many pixels are not fused (the backend sums them in locals). */
    public static final int MIN_PLANE = 12;

    /** Convolutions with more unfolded input floats than this run in bands, and are not fused. */
    public static final int MAX_UNFOLDED = 65536;

    @Override
    public Graph run(Graph graph) {
        GraphEdit edit = new GraphEdit(graph);
        for (Node n : graph.nodes()) {
            if (!(n.op() instanceof Pool2d pool) || n.inputs().size() != 1) {
                continue;
            }
            Node conv = graph.node(n.inputs().get(0));
            if (!(conv.op() instanceof Conv2d c) || Layers.soleReader(graph, conv.name()) == null
                    || !fits(c, pool, graph.inputShapes(conv).get(0), conv.shape())) {
                continue;
            }
            edit.replace(new Node(conv.name(), new ConvPool(c, pool), conv.inputs(), n.shape(), conv.pos()));
            edit.remove(n.name(), conv.name());
        }
        return edit.build();
    }

    /** True when the backend computes this conv's output plane whole, so the pool can read it there. */
    static boolean fits(Conv2d c, Pool2d pool, Shape in, Shape out) {
        if (!in.isKnown() || !out.isKnown() || c.activation() instanceof Activation.Softmax) {
            return false;
        }
        Padding.Explicit p = pool.resolvedPadding(out);
        if (!p.isZero()) {
            return false;
        }
        long plane = (long) out.height() * out.width();
        long rows = (long) in.channels() / c.groups() * c.kernelH() * c.kernelW();
        return plane > MIN_PLANE && rows * plane <= MAX_UNFOLDED;
    }
}
