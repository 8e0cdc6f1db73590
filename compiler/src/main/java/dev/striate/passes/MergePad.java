package dev.striate.passes;

import dev.striate.ir.Conv2d;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Op;
import dev.striate.ir.Pad;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;

/**
 * Merges an explicit {@code pad} into the window op that is its only reader: the paddings add
 * up, the pad node goes and the reader reads the unpadded map, so no padded copy is made.
 * Merged into: {@code conv2d} (always exact: both pad with zeros; a {@code same} padding is first
 * resolved for the padded input it saw), {@code avgpool} with {@code count_include_pad=true}
 * (exact: padded zeros add nothing and count in the divisor either way) and another {@code pad}
 * (chains collapse). Kept before {@code maxpool}, whose own padding never wins a max (explicit
 * zeros can), and before {@code avgpool} with {@code count_include_pad=false}, whose divisor
 * would change. A pad of zero is removed whatever reads it. Exact in any mode.
 */
public final class MergePad implements Pass {
    @Override
    public Graph run(Graph graph) {
        GraphEdit edit = new GraphEdit(graph);
        for (Node original : graph.nodes()) {
            if (!(original.op() instanceof Pad)) {
                continue;
            }
            Node n = edit.node(original.name());
            Padding.Explicit pad = ((Pad) n.op()).padding();
            String source = n.inputs().get(0);
            if (pad.isZero() && !graph.outputs().contains(n.name())) {
                edit.remove(n.name(), source);
                continue;
            }
            Node reader = Layers.soleReader(graph, n.name());
            if (reader == null) {
                continue;
            }
            Op merged = merge(pad, edit.node(reader.name()).op(), n.shape());
            if (merged != null) {
                edit.replace(edit.node(reader.name()).withOp(merged));
                edit.remove(n.name(), source);
            }
        }
        return edit.build();
    }

    /** {@code reader} with {@code pad} merged into its padding, or null when that is not exact. */
    private static Op merge(Padding.Explicit pad, Op reader, Shape padded) {
        if (reader instanceof Conv2d c) {
            return c.withPadding(sum(pad, c.resolvedPadding(padded)));
        } else if (reader instanceof Pool2d p && p.poolKind() == Pool2d.Kind.AVG && p.countIncludePad()) {
            return p.withPadding(sum(pad, p.resolvedPadding(padded)));
        } else if (reader instanceof Pad q) {
            return new Pad(sum(pad, q.padding()));
        }
        return null;
    }

    private static Padding.Explicit sum(Padding.Explicit a, Padding.Explicit b) {
        return new Padding.Explicit(a.top() + b.top(), a.bottom() + b.bottom(), a.left() + b.left(),
                a.right() + b.right());
    }
}
