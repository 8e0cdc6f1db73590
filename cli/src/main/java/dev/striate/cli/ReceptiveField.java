package dev.striate.cli;

import dev.striate.ir.Conv2d;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Pad;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;

/**
 * The input rectangle one unit of a layer sees, for {@code striate show activations}: composed
 * along the chain of layers from the input (convolutions and pools by their kernel, stride,
 * dilation and padding; explicit padding by its offset; layers that keep the height and width
 * as the identity). A layer reached any other way (several inputs, a resize) sees the whole
 * input. Per axis: {@code size} input pixels, {@code jump} between neighbouring units, and
 * {@code start}, the first unit's first pixel (negative inside the padding).
 */
record ReceptiveField(int sizeH, int sizeW, int jumpH, int jumpW, int startH, int startW, boolean whole) {

    /** The field of a unit of {@code layer} of {@code graph} (a model with one input). */
    static ReceptiveField of(Graph graph, String layer) {
        Node node = graph.node(layer);
        if (node.inputs().isEmpty()) {
            return new ReceptiveField(1, 1, 1, 1, 0, 0, false);
        }
        if (node.inputs().size() != 1) {
            return whole(graph);
        }
        Node in = graph.node(node.inputs().get(0));
        ReceptiveField f = of(graph, in.name());
        if (f.whole()) {
            return f;
        }
        Shape s = in.shape();
        if (node.op() instanceof Conv2d c) {
            Padding.Explicit p = c.resolvedPadding(s);
            return f.window((c.kernelH() - 1) * c.dilationH() + 1, (c.kernelW() - 1) * c.dilationW() + 1,
                    c.strideH(), c.strideW(), p.top(), p.left());
        }
        if (node.op() instanceof Pool2d p) {
            Padding.Explicit pad = p.resolvedPadding(s);
            return f.window(p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), pad.top(), pad.left());
        }
        if (node.op() instanceof Pad p) {
            return f.window(1, 1, 1, 1, p.padding().top(), p.padding().left());
        }
        Shape out = node.shape();
        boolean same = s.rank() == 3 && out.rank() == 3 && s.height() == out.height() && s.width() == out.width();
        return same ? f : whole(graph);
    }

    private static ReceptiveField whole(Graph graph) {
        Shape in = graph.inputs().get(0).shape();
        return new ReceptiveField(in.height(), in.width(), 0, 0, 0, 0, true);
    }

    private ReceptiveField window(int kh, int kw, int sh, int sw, int padTop, int padLeft) {
        return new ReceptiveField(Math.addExact(sizeH, Math.multiplyExact(kh - 1, jumpH)),
                Math.addExact(sizeW, Math.multiplyExact(kw - 1, jumpW)), Math.multiplyExact(jumpH, sh),
                Math.multiplyExact(jumpW, sw), startH - padTop * jumpH, startW - padLeft * jumpW, false);
    }

    /** The rows {@code [top, bottom)} of the input that unit row {@code y} sees, clipped to {@code height}. */
    int[] rows(int y, int height) {
        return clip(whole ? 0 : startH + y * jumpH, whole ? height : sizeH, height);
    }

    /** The columns of unit column {@code x}, clipped to {@code width}. */
    int[] columns(int x, int width) {
        return clip(whole ? 0 : startW + x * jumpW, whole ? width : sizeW, width);
    }

    private static int[] clip(int from, int size, int limit) {
        int a = Math.max(0, from);
        int b = Math.min(limit, from + size);
        return new int[] {a, Math.max(a + 1, b)};
    }
}
