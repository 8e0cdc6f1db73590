package dev.striate.cli;

import dev.striate.ir.Activate;
import dev.striate.ir.Add;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.Concat;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvPool;
import dev.striate.ir.ConvTranspose2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Graph;
import dev.striate.ir.Input;
import dev.striate.ir.Maxout;
import dev.striate.ir.Node;
import dev.striate.ir.Normalize;
import dev.striate.ir.OpVisitor;
import dev.striate.ir.Pad;
import dev.striate.ir.Padding;
import dev.striate.ir.PixelShuffle;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Rescale;
import dev.striate.ir.Shape;
import dev.striate.ir.UntiedBias;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The input rectangle one unit of a layer sees, for {@code striate show activations}: composed
 * along the graph from the input (convolutions and pools by their kernel, stride, dilation and
 * padding; explicit padding by its offset; layers that keep the height and width as the
 * identity). An {@code add} or {@code concat} of branches sees the union of what its inputs see,
 * and so does every layer after it: the field is a set of {@link Span}s per axis, one per branch
 * (spans of one jump merged into their hull), and a unit's rectangle is the bounding box of its
 * spans' intervals. For a {@code concat} itself, this is the union over all its inputs, although
 * each of its channels comes from one of them. A layer reached any other way (a resize, a
 * transposed convolution) sees the whole input.
 *
 * @param rowSpans    the spans along the height (empty when {@code whole})
 * @param columnSpans the spans along the width
 * @param whole       every unit sees the whole input
 */
record ReceptiveField(List<Span> rowSpans, List<Span> columnSpans, boolean whole) {

    /**
     * What unit {@code i} along one axis sees through one branch: input pixels
     * {@code [start + i * jump, start + i * jump + size)} ({@code start} negative inside the padding).
     */
    record Span(int size, int jump, int start) {
        Span window(int k, int stride, int pad) {
            return new Span(Math.addExact(size, Math.multiplyExact(k - 1, jump)), Math.multiplyExact(jump, stride),
                    Math.subtractExact(start, Math.multiplyExact(pad, jump)));
        }
    }

    ReceptiveField {
        rowSpans = List.copyOf(rowSpans);
        columnSpans = List.copyOf(columnSpans);
    }

    /** The field of a unit of {@code layer} of {@code graph} (a model with one input). */
    static ReceptiveField of(Graph graph, String layer) {
        return of(graph, graph.node(layer), new HashMap<>());
    }

    private static ReceptiveField of(Graph graph, Node node, Map<String, ReceptiveField> known) {
        ReceptiveField done = known.get(node.name());
        if (done != null) {
            return done;
        }
        ReceptiveField f = compute(graph, node, known);
        known.put(node.name(), f);
        return f;
    }

    private static ReceptiveField compute(Graph graph, Node node, Map<String, ReceptiveField> known) {
        if (node.inputs().isEmpty()) {
            return unit();
        }
        Shape out = node.shape();
        List<ReceptiveField> branches = new ArrayList<>();
        for (String input : node.inputs()) {
            Node in = graph.node(input);
            if (!samePlane(in.shape(), out) && node.inputs().size() > 1) {
                return wholeImage();
            }
            branches.add(of(graph, in, known));
        }
        if (branches.stream().anyMatch(ReceptiveField::whole)) {
            return wholeImage();
        }
        return node.op().accept(new Step(branches, graph.node(node.inputs().get(0)).shape(), out));
    }

    /**
     * How each op kind maps its inputs' fields to its own: one visit per kind, so a new op does not
     * compile until it says (a window, the identity for a layer that keeps each pixel where it is,
     * or the whole image).
     */
    private static final class Step implements OpVisitor<ReceptiveField> {
        private final List<ReceptiveField> branches;
        private final Shape in;
        private final Shape out;

        Step(List<ReceptiveField> branches, Shape in, Shape out) {
            this.branches = branches;
            this.in = in;
            this.out = out;
        }

        /** A layer that computes each pixel from the same pixel of its one input. */
        private ReceptiveField pointwise() {
            return branches.size() == 1 && samePlane(in, out) ? branches.get(0) : wholeImage();
        }

        /** A layer that merges its inputs pixel by pixel: the union of what they see. */
        private ReceptiveField merge() {
            return branches.size() > 1 ? union(branches) : pointwise();
        }

        private static ReceptiveField conv(Conv2d c, Shape input, ReceptiveField f) {
            Padding.Explicit p = c.resolvedPadding(input);
            return f.window((c.kernelH() - 1) * c.dilationH() + 1, (c.kernelW() - 1) * c.dilationW() + 1,
                    c.strideH(), c.strideW(), p.top(), p.left());
        }

        private static ReceptiveField pool(Pool2d p, Shape input, ReceptiveField f) {
            Padding.Explicit pad = p.resolvedPadding(input);
            return f.window(p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), pad.top(), pad.left());
        }

        @Override
        public ReceptiveField visitInput(Input op) {
            return unit();
        }

        @Override
        public ReceptiveField visitConv2d(Conv2d op) {
            return conv(op, in, branches.get(0));
        }

        @Override
        public ReceptiveField visitConvPool(ConvPool op) {
            return pool(op.pool(), op.convShape(in), conv(op.conv(), in, branches.get(0)));
        }

        @Override
        public ReceptiveField visitPool2d(Pool2d op) {
            return pool(op, in, branches.get(0));
        }

        @Override
        public ReceptiveField visitPad(Pad op) {
            return branches.get(0).window(1, 1, 1, 1, op.padding().top(), op.padding().left());
        }

        /** Each output pixel gathers several input pixels with overlapping kernels: not one window. */
        @Override
        public ReceptiveField visitConvTranspose2d(ConvTranspose2d op) {
            return wholeImage();
        }

        /** Its output pixels come from a block of input pixels: not modelled, the whole image. */
        @Override
        public ReceptiveField visitPixelShuffle(PixelShuffle op) {
            return wholeImage();
        }

        @Override
        public ReceptiveField visitGlobalPool(GlobalPool op) {
            return wholeImage();
        }

        @Override
        public ReceptiveField visitDense(Dense op) {
            return wholeImage();
        }

        @Override
        public ReceptiveField visitFlatten(Flatten op) {
            return wholeImage();
        }

        @Override
        public ReceptiveField visitAdd(Add op) {
            return merge();
        }

        @Override
        public ReceptiveField visitConcat(Concat op) {
            return merge();
        }

        @Override
        public ReceptiveField visitDropout(Dropout op) {
            return pointwise();
        }

        @Override
        public ReceptiveField visitBatchNorm(BatchNorm op) {
            return pointwise();
        }

        @Override
        public ReceptiveField visitActivate(Activate op) {
            return pointwise();
        }

        @Override
        public ReceptiveField visitMaxout(Maxout op) {
            return pointwise();
        }

        @Override
        public ReceptiveField visitNormalize(Normalize op) {
            return pointwise();
        }

        @Override
        public ReceptiveField visitRescale(Rescale op) {
            return pointwise();
        }

        @Override
        public ReceptiveField visitUntiedBias(UntiedBias op) {
            return pointwise();
        }
    }

    /** An input pixel sees itself. */
    private static ReceptiveField unit() {
        List<Span> unit = List.of(new Span(1, 1, 0));
        return new ReceptiveField(unit, unit, false);
    }

    private static boolean samePlane(Shape a, Shape b) {
        return a.rank() == 3 && b.rank() == 3 && a.height() == b.height() && a.width() == b.width();
    }

    private static ReceptiveField wholeImage() {
        return new ReceptiveField(List.of(), List.of(), true);
    }

    /** The union of branches' fields: every span of each, those of one jump merged into their hull. */
    private static ReceptiveField union(List<ReceptiveField> branches) {
        List<Span> rows = new ArrayList<>();
        List<Span> columns = new ArrayList<>();
        for (ReceptiveField b : branches) {
            rows.addAll(b.rowSpans());
            columns.addAll(b.columnSpans());
        }
        return new ReceptiveField(hulls(rows), hulls(columns), false);
    }

    /** One span per jump: the hull of the spans of that jump (exact for the bounding box of every unit). */
    private static List<Span> hulls(List<Span> spans) {
        Map<Integer, Span> byJump = new TreeMap<>();
        for (Span s : spans) {
            byJump.merge(s.jump(), s, (a, b) -> {
                int start = Math.min(a.start(), b.start());
                int end = Math.max(Math.addExact(a.start(), a.size()), Math.addExact(b.start(), b.size()));
                return new Span(Math.subtractExact(end, start), a.jump(), start);
            });
        }
        List<Span> out = new ArrayList<>(byJump.values());
        out.sort(Comparator.comparingInt(Span::jump));
        return out;
    }

    private ReceptiveField window(int kh, int kw, int sh, int sw, int padTop, int padLeft) {
        return new ReceptiveField(rowSpans.stream().map(s -> s.window(kh, sh, padTop)).toList(),
                columnSpans.stream().map(s -> s.window(kw, sw, padLeft)).toList(), false);
    }

    /** The rows {@code [top, bottom)} of the input that unit row {@code y} sees, clipped to {@code height}. */
    int[] rows(int y, int height) {
        return whole ? clip(0, height, height) : box(rowSpans, y, height);
    }

    /** The columns of unit column {@code x}, clipped to {@code width}. */
    int[] columns(int x, int width) {
        return whole ? clip(0, width, width) : box(columnSpans, x, width);
    }

    /** The bounding interval of the spans' intervals for unit {@code i}, clipped to {@code [0, limit)}. */
    private static int[] box(List<Span> spans, int i, int limit) {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (Span s : spans) {
            long a = s.start() + (long) i * s.jump();
            from = Math.min(from, a);
            to = Math.max(to, a + s.size());
        }
        return clip(from, to, limit);
    }

    private static int[] clip(long from, long to, int limit) {
        int a = (int) Math.max(0, Math.min(from, limit - 1L));
        int b = (int) Math.min(limit, to);
        return new int[] {a, Math.max(a + 1, b)};
    }
}
