package dev.striate.frontend.lower;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Dense;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import java.util.List;

/**
 * Checks of meaning, once shapes are known: models that are well-formed but compute something
 * the author cannot have meant. A pool whose padding exceeds half its window is an error (some
 * windows would hold only padding: -Infinity from maxpool, NaN from avgpool without
 * count_include_pad; PyTorch refuses the same); a softmax over an axis of size 1 is a warning
 * (it always outputs 1.0).
 */
final class SemanticChecks {
    private SemanticChecks() {
    }

    static void run(Graph graph, List<PendingNode> nodes, Diagnostics diagnostics) {
        for (PendingNode n : nodes) {
            if (n.isInput() || n.binding == null || !graph.has(n.layerName)) {
                continue;
            }
            Node node = graph.node(n.layerName);
            if (!node.shape().isKnown()) {
                continue;
            }
            BoundArgs args = n.binding.args();
            if (node.op() instanceof Pool2d pool) {
                Shape in = graph.node(node.inputs().get(0)).shape();
                poolPadding(pool, in, args.pos("padding", n.pos), diagnostics);
            }
            Activation a = node.op().appliedActivation();
            if (a instanceof Activation.Softmax && node.shape().channels() == 1) {
                SourcePos at = node.op() instanceof Activate ? n.pos : args.pos("activation", n.pos);
                softmaxOverOne(node, at, diagnostics);
            }
        }
    }

    /**
     * PyTorch's rule ({@code pad <= kernel_size / 2}, integer division), applied to each side
     * of the resolved padding. {@code same} never breaks it: its total is at most K - 1, split
     * floor/ceil, so each side is at most floor(K / 2).
     */
    private static void poolPadding(Pool2d pool, Shape in, SourcePos pos, Diagnostics diagnostics) {
        Padding.Explicit p = pool.resolvedPadding(in);
        String side = p.top() > pool.kernelH() / 2 ? "top" : p.bottom() > pool.kernelH() / 2 ? "bottom"
                : p.left() > pool.kernelW() / 2 ? "left" : p.right() > pool.kernelW() / 2 ? "right" : null;
        if (side == null) {
            return;
        }
        boolean rows = side.equals("top") || side.equals("bottom");
        int kernel = rows ? pool.kernelH() : pool.kernelW();
        int amount = switch (side) {
            case "top" -> p.top();
            case "bottom" -> p.bottom();
            case "left" -> p.left();
            default -> p.right();
        };
        String result = pool.poolKind() == Pool2d.Kind.MAX ? "-Infinity"
                : pool.countIncludePad() ? "0, from padding alone" : "NaN";
        String unit = (rows ? "row" : "column") + (kernel == 1 ? "" : "s");
        diagnostics.error(ErrorCode.POOL_PADDING, pos, pool.kind() + " padding " + amount + " (" + side
                + ") is more than half the window (" + kernel + " " + unit
                + "): a window could cover only padding and output " + result + "; use at most " + (kernel / 2)
                + (rows ? " row" : " column") + (kernel / 2 == 1 ? "" : "s")
                + " of padding on each side (PyTorch's limit), or pad(...) before the pool to pad with zeros");
    }

    private static void softmaxOverOne(Node node, SourcePos pos, Diagnostics diagnostics) {
        String what = node.op() instanceof Dense ? "1 unit" : node.shape().rank() == 1 ? "1 value" : "1 channel";
        diagnostics.warning(ErrorCode.SOFTMAX_OVER_ONE, pos, "softmax over " + what + " always outputs 1.0 (layer "
                + node.name() + "): softmax normalizes across " + (node.shape().rank() == 1 ? "the values"
                : "channels") + ", and there is only one; use sigmoid for a single probability, or give the layer "
                + "more outputs");
    }
}
