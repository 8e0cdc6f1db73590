package dev.striate.passes;

import dev.striate.ir.ChannelAffineOp;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Op;
import java.util.HashSet;
import java.util.Set;

/**
 * Evaluates at compile time what depends on constants only. In today's IR the only leaves are
 * the model inputs (the language has no constant tensors), so no whole subgraph is constant;
 * what is constant is op parameters, and this pass folds the ones that combine: a chain of
 * {@code rescale} / {@code normalize} ops (each the only reader of the one before) becomes one
 * op whose per-channel scale and shift are computed here ({@code rescale} when every channel
 * agrees, else {@code normalize}). Exact up to float rounding of the combined parameters; valid
 * in any mode (these ops have no learned weights). Runs to a fixed point.
 *
 * <p>When the IR gains a constant op, folding whole constant subgraphs belongs here.
 */
public final class FoldConstants implements Pass {
    @Override
    public Graph run(Graph graph) {
        GraphEdit edit = new GraphEdit(graph);
        Set<String> touched = new HashSet<>();
        for (Node n : graph.nodes()) {
            if (!(n.op() instanceof ChannelAffineOp second)) {
                continue;
            }
            Node first = graph.node(n.inputs().get(0));
            if (!(first.op() instanceof ChannelAffineOp firstOp) || Layers.soleReader(graph, first.name()) == null
                    || touched.contains(first.name()) || touched.contains(n.name())) {
                continue;
            }
            int channels = n.shape().channels();
            Op combined = ChannelAffine.of(firstOp, channels).andThen(ChannelAffine.of(second, channels)).toOp();
            if (combined == null) {
                continue;
            }
            edit.replace(n.withOp(combined));
            edit.remove(first.name(), first.inputs().get(0));
            touched.add(first.name());
            touched.add(n.name());
        }
        return edit.build();
    }
}
