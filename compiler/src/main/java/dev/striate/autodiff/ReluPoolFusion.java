package dev.striate.autodiff;

import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Pool2d;
import dev.striate.train.ReluBackward;
import java.util.List;

/**
 * A conv2d with a fused ReLU whose only reader is a max pool (conv, relu, pool: most CNNs): the pool's backward
 * applies the ReLU's mask while it routes each output's gradient to its argmax, {@code dx[arg[i]] += y[i] > 0 ? dy[i]
 * : +0} with {@code y} the pool's output, and the conv's backward skips its own masking pass over the whole map (a read
 * of the conv's output and a write of its gradient, 2.8 MB each per 32 samples for the Keras MNIST CNN's first layer).
 * The same bits: the pool's output is the value at its argmax (or both are zeros or NaN), so {@code y[i] > 0} is the
 * conv's own {@code out[arg[i]] > 0}; cells no window routes to stay zero either way; and the bias gradient sums the
 * same values in the same order. The ReLU itself moves too: the conv's forward leaves it out and the pool applies it to
 * its own output (a quarter of the values for 2x2 windows), since {@code max(relu(x)) = relu(max(x))} bit for bit and
 * the first maximum of {@code x} is that of {@code relu(x)} wherever the output is positive, the only place the
 * backward reads the argmax. Only for the true derivative ({@link ReluBackward#GRADIENT}). The JVM property
 * {@code striate.fuseReluPool=false} turns it off when a trainer is generated (for the test that compares the two).
 */
public final class ReluPoolFusion {
    private ReluPoolFusion() {
    }

    /** True when {@code pool}'s backward masks its input's ReLU (and that conv's backward does not). */
    public static boolean poolMasks(Graph graph, Node pool, ReluBackward mode) {
        if (!(pool.op() instanceof Pool2d p) || p.poolKind() != Pool2d.Kind.MAX || pool.inputs().size() != 1) {
            return false;
        }
        return fused(graph, graph.node(pool.inputs().get(0)), pool, mode);
    }

    /** True when {@code conv}'s only reader, a max pool, masks its ReLU: its backward then leaves the mask out. */
    public static boolean maskedByPool(Graph graph, Node conv, ReluBackward mode) {
        List<Node> readers = graph.consumers(conv.name());
        return readers.size() == 1 && poolMasks(graph, readers.get(0), mode);
    }

    /**
     * True when {@code conv}'s ReLU is masked by its max pool ({@link #maskedByPool}) and that pool's windows are
     * 2x2 with stride 2 and no padding: the pool's backward then writes the conv's whole gradient
     * ({@code Kernels.maxPool2x2Backward}), so the worker does not clear it before the backward pass.
     */
    public static boolean poolWritesGradient(Graph graph, Node conv, ReluBackward mode) {
        return maskedByPool(graph, conv, mode) && pairs(graph.consumers(conv.name()).get(0), conv.shape());
    }

    /** True when {@code pool} is a {@link Pool2d} with 2x2 windows, stride 2 and no padding on {@code in}. */
    public static boolean pairs(Node pool, dev.striate.ir.Shape in) {
        return pool.op() instanceof Pool2d p && p.isPairsOn(in);
    }

    private static boolean fused(Graph graph, Node conv, Node pool, ReluBackward mode) {
        return mode == ReluBackward.GRADIENT && !"false".equals(System.getProperty("striate.fuseReluPool"))
                && conv.op() instanceof Conv2d c && c.activation() instanceof Activation.Relu
                && graph.consumers(conv.name()).equals(List.of(pool)) && !graph.outputs().contains(conv.name());
    }
}
