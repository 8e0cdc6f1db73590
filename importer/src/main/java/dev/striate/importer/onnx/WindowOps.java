package dev.striate.importer.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.striate.importer.onnx.Translator.Value;
import java.util.Arrays;
import java.util.List;

/**
 * The ONNX operators with a sliding window, translated to Striate layers: {@code Conv}, {@code ConvTranspose},
 * the pools ({@code MaxPool}, {@code AveragePool}, the global pools) and the reductions over height and width that
 * are global pools.
 */
final class WindowOps extends NodeOps {
    WindowOps(Translator t) {
        super(t);
    }

    void conv(NodeProto n) {
        Value x = map(n, in(n, 0));
        Const w = weight(n, 1);
        Const b = weight(n, 2);
        if (w == null || w.rank() != 4) {
            throw t.form(n, "is not a 2-D convolution with a [F, C/groups, kh, kw] weight");
        }
        int c = x.shape()[0];
        int group = (int) Attributes.integer(n, "group", 1);
        int f = w.dims()[0];
        if (group <= 0 || c % group != 0 || w.dims()[1] * group != c) {
            throw t.form(n, "has a weight " + Arrays.toString(w.dims()) + " that does not fit " + c
                    + " input channels in " + group + " groups");
        }
        Window win = window(n, x, new int[] {w.dims()[2], w.dims()[3]});
        String layer = t.layerName(n, n.getInput(1), "conv");
        StringBuilder call = new StringBuilder();
        boolean depthwise = group == c && c > 1 && f % c == 0;
        if (depthwise) {
            call.append("depthwise_conv2d(kernel=").append(Window.pair(win.kh(), win.kw()));
            if (f != c) {
                call.append(", multiplier=").append(f / c);
            }
        } else {
            call.append("conv2d(").append(f).append(", kernel=").append(Window.pair(win.kh(), win.kw()));
        }
        appendWindow(call, win, 1);
        if (!depthwise && group != 1) {
            call.append(", groups=").append(group);
        }
        endWeighted(call, layer, w, b, f);
        int[] shape = {f, win.outH(x.shape()[1]), win.outW(x.shape()[2])};
        emit(n, call.toString(), List.of(x), shape, shape);
    }

    /** Ends a (transposed) convolution's call with its bias flag and name, and keeps its weights. */
    private void endWeighted(StringBuilder call, String layer, Const w, Const b, int filters) {
        if (b == null) {
            call.append(", bias=false");
        }
        call.append(", ").append(name(layer)).append(')');
        addWeight(layer, "weight", w.dims(), w.floats());
        if (b != null) {
            addWeight(layer, "bias", new int[] {filters}, b.floats());
        }
    }

    private Window window(NodeProto n, Value x, int[] kernel) {
        Window win = Window.of(n, x.shape()[1], x.shape()[2], kernel);
        if (win == null) {
            throw t.form(n, "has window attributes Striate cannot read (2-D kernel, strides, dilations, pads and "
                    + "auto_pad NOTSET, VALID, SAME_UPPER or SAME_LOWER are supported)");
        }
        return win;
    }

    private static void appendWindow(StringBuilder call, Window win, int defaultStride) {
        if (win.sh() != defaultStride || win.sw() != defaultStride) {
            call.append(", stride=").append(Window.pair(win.sh(), win.sw()));
        }
        if (win.padded()) {
            call.append(", padding=").append(win.padding());
        }
        if (win.dh() != 1 || win.dw() != 1) {
            call.append(", dilation=").append(Window.pair(win.dh(), win.dw()));
        }
    }

    void convTranspose(NodeProto n) {
        Value x = map(n, in(n, 0));
        Const w = weight(n, 1);
        Const b = weight(n, 2);
        int group = (int) Attributes.integer(n, "group", 1);
        if (w == null || w.rank() != 4 || w.dims()[0] != x.shape()[0] || x.shape()[0] % group != 0) {
            throw t.form(n, "is not a 2-D transposed convolution with a [C, F/groups, kh, kw] weight for its input");
        }
        if (!Attributes.text(n, "auto_pad", "NOTSET").equals("NOTSET") || Attributes.has(n, "output_shape")) {
            throw t.form(n, "uses auto_pad or output_shape; Striate reproduces ConvTranspose with explicit pads and "
                    + "output_padding (what PyTorch exports)");
        }
        Window win = window(n, x, new int[] {w.dims()[2], w.dims()[3]});
        if (win.top() != win.bottom() || win.left() != win.right()) {
            throw t.form(n, "has asymmetric pads; Striate's conv_transpose2d pads both sides alike (PyTorch's padding)");
        }
        long[] op = Attributes.integers(n, "output_padding", new long[] {0, 0});
        int f = w.dims()[1] * group;
        String layer = t.layerName(n, n.getInput(1), "conv_transpose");
        StringBuilder call = new StringBuilder("conv_transpose2d(").append(f).append(", kernel=")
                .append(Window.pair(win.kh(), win.kw()));
        if (win.sh() != 1 || win.sw() != 1) {
            call.append(", stride=").append(Window.pair(win.sh(), win.sw()));
        }
        if (win.padded()) {
            call.append(", padding=").append(Window.pair(win.top(), win.left()));
        }
        if (op[0] != 0 || op[1] != 0) {
            call.append(", output_padding=").append(Window.pair((int) op[0], (int) op[1]));
        }
        if (win.dh() != 1 || win.dw() != 1) {
            call.append(", dilation=").append(Window.pair(win.dh(), win.dw()));
        }
        if (group != 1) {
            call.append(", groups=").append(group);
        }
        endWeighted(call, layer, w, b, f);
        int h = (x.shape()[1] - 1) * win.sh() - 2 * win.top() + win.dh() * (win.kh() - 1) + (int) op[0] + 1;
        int wd = (x.shape()[2] - 1) * win.sw() - 2 * win.left() + win.dw() * (win.kw() - 1) + (int) op[1] + 1;
        int[] shape = {f, h, wd};
        emit(n, call.toString(), List.of(x), shape, shape);
    }

    void pool(NodeProto n) {
        Value x = map(n, in(n, 0));
        boolean max = n.getOpType().equals("MaxPool");
        if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && t.readers.getOrDefault(n.getOutput(1), 0) > 0) {
            throw t.form(n, "has its Indices output read; Striate pools return values only");
        }
        Window win = window(n, x, null);
        if (win.dh() != 1 || win.dw() != 1) {
            throw t.form(n, "has dilations; Striate pools are not dilated");
        }
        int h = win.outH(x.shape()[1]);
        int w = win.outW(x.shape()[2]);
        if (Attributes.integer(n, "ceil_mode", 0) != 0 && (win.ceilOutH(x.shape()[1]) != h || win.ceilOutW(x.shape()[2]) != w)) {
            throw t.form(n, "has ceil_mode=1, which here gives a larger output than floor; Striate pools round down "
                    + "(export with ceil_mode=False)");
        }
        StringBuilder call = new StringBuilder(max ? "maxpool(" : "avgpool(").append(Window.pair(win.kh(), win.kw()));
        if (win.sh() != win.kh() || win.sw() != win.kw()) {
            call.append(", stride=").append(Window.pair(win.sh(), win.sw()));
        }
        if (win.padded()) {
            call.append(", padding=").append(win.padding());
            if (!max && Attributes.integer(n, "count_include_pad", 0) == 0) {
                call.append(", count_include_pad=false");
            }
        }
        call.append(')');
        int[] shape = {x.shape()[0], h, w};
        emit(n, call.toString(), List.of(x), shape, shape);
    }

    void globalPool(NodeProto n) {
        Value x = map(n, in(n, 0));
        int c = x.shape()[0];
        emit(n, n.getOpType().equals("GlobalMaxPool") ? "globalmaxpool" : "globalavgpool", List.of(x),
                new int[] {c, 1, 1}, new int[] {c});
    }

    /** {@code x.mean([2, 3])} and {@code x.amax([2, 3])}: global pools (keeping the 1 x 1 axes or not). */
    void reduce(NodeProto n) {
        Value x = map(n, in(n, 0));
        long[] axes = n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? weight(n, 1).longs()
                : Attributes.integers(n, "axes", new long[0]);
        long[] spatial = Arrays.stream(axes).map(a -> a < 0 ? a + 4 : a).sorted().toArray();
        if (!Arrays.equals(spatial, new long[] {2, 3})) {
            throw t.form(n, "reduces axes " + Arrays.toString(axes) + "; Striate imports it only over height and width "
                    + "(axes 2 and 3), as a global pool");
        }
        int c = x.shape()[0];
        boolean keep = Attributes.integer(n, "keepdims", 1) != 0;
        emit(n, n.getOpType().equals("ReduceMax") ? "globalmaxpool" : "globalavgpool", List.of(x),
                keep ? new int[] {c, 1, 1} : new int[] {c}, new int[] {c});
    }
}
