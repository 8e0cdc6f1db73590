package dev.striate.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.striate.importer.keras.KerasLayers.Value;
import java.util.List;
import java.util.Set;

/**
 * The windowed Keras layers (convolutions, pools, zero padding): Keras's {@code strides},
 * {@code dilation_rate} and {@code padding} ({@code valid}, or {@code same} with TensorFlow's rule,
 * which is Striate's {@code padding=same}), and the kernels converted from Keras's channels-last
 * layouts to Striate's (PyTorch's).
 */
final class KerasConvs {
    /** The classes whose variables are read here. */
    static final Set<String> WEIGHTED = Set.of("Conv2D", "DepthwiseConv2D", "SeparableConv2D", "Conv2DTranspose");

    private KerasConvs() {
    }

    /**
     * A {@code (kh, kw, in, out)} kernel (Keras's {@code HWIO}) as {@code [out, in, kh, kw]}: the
     * layout of Striate's conv2d weight ({@code OIHW}); with {@code kh = kw = 1} Dense's
     * {@code (in, out)} kernel as {@code [out, in]}.
     */
    static float[] oihw(float[] k, int kh, int kw, int in, int out) {
        float[] w = new float[k.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        w[((o * in + i) * kh + y) * kw + x] = k[((y * kw + x) * in + i) * out + o];
                    }
                }
            }
        }
        return w;
    }

    /** The sliding window of a layer: kernel, strides, dilations and whether the padding is {@code same}. */
    private record Window(int[] k, int[] s, int[] d, boolean same) {
        int out(int size, int axis) {
            return same ? Math.floorDiv(size + s[axis] - 1, s[axis])
                    : Math.floorDiv(size - d[axis] * (k[axis] - 1) - 1, s[axis]) + 1;
        }

        int[] shape(int channels, Value x) {
            return new int[] {channels, out(x.shape()[1], 0), out(x.shape()[2], 1)};
        }

        /** {@code , stride=2, padding=same, dilation=2} as far as they differ from the defaults. */
        String args(int[] defaultStride) {
            StringBuilder sb = new StringBuilder();
            if (s[0] != defaultStride[0] || s[1] != defaultStride[1]) {
                sb.append(", stride=").append(pair(s));
            }
            if (same) {
                sb.append(", padding=same");
            }
            if (d[0] != 1 || d[1] != 1) {
                sb.append(", dilation=").append(pair(d));
            }
            return sb.toString();
        }
    }

    static String pair(int[] v) {
        return v[0] == v[1] ? Integer.toString(v[0]) : "[" + v[0] + ", " + v[1] + "]";
    }

    private static Window window(KerasLayers t, String kernelKey, int[] defaultKernel) {
        int[] k = t.ints(kernelKey, 2, defaultKernel, 1);
        JsonNode strides = t.cfg().path("strides");
        int[] s = strides.isNull() || strides.isMissingNode() ? (kernelKey.equals("pool_size") ? k : new int[] {1, 1})
                : t.ints("strides", 2, null, 1);
        int[] d = t.ints("dilation_rate", 2, new int[] {1, 1}, 1);
        String padding = t.cfg().path("padding").asText("valid").toLowerCase(java.util.Locale.ROOT);
        if (!padding.equals("valid") && !padding.equals("same")) {
            throw t.form(t.current() + " has padding '" + KerasFile.shown(padding) + "'; Striate reads 'valid' and "
                    + "'same'");
        }
        return new Window(k, s, d, padding.equals("same"));
    }

    private static String bias(boolean bias) {
        return bias ? "" : ", bias=false";
    }

    static Value conv(KerasLayers t, String name, String source, Value x, List<KerasFile.Array> vars) {
        int c = t.map(x).shape()[0];
        JsonNode cfg = t.cfg();
        int f = t.ints("filters", 1, null, 1)[0];
        Window w = window(t, "kernel_size", null);
        int groups = t.ints("groups", 1, new int[] {1}, 1)[0];
        if (c % groups != 0 || f % groups != 0) {
            throw t.form(t.current() + " has " + groups + " groups, which do not divide " + c + " input channels and "
                    + f + " filters");
        }
        boolean bias = cfg.path("use_bias").asBoolean(true);
        int[] kernel = {w.k()[0], w.k()[1], c / groups, f};
        t.expect(vars, bias ? new int[][] {kernel, {f}} : new int[][] {kernel});
        String layer = t.layerName(name, "conv");
        t.addWeight(layer, "weight", new int[] {f, c / groups, w.k()[0], w.k()[1]},
                oihw(vars.get(0).data(), w.k()[0], w.k()[1], c / groups, f));
        if (bias) {
            t.addWeight(layer, "bias", new int[] {f}, vars.get(1).data());
        }
        String call = "conv2d(" + f + ", kernel=" + pair(w.k()) + w.args(new int[] {1, 1})
                + (groups != 1 ? ", groups=" + groups : "") + bias(bias) + t.activation(cfg.path("activation")) + ", "
                + KerasLayers.named(layer) + ")";
        return t.emit(name, call, source, List.of(x), w.shape(f, x), null);
    }

    static Value depthwise(KerasLayers t, String name, String source, Value x, List<KerasFile.Array> vars) {
        int c = t.map(x).shape()[0];
        JsonNode cfg = t.cfg();
        Window w = window(t, "kernel_size", null);
        int m = t.ints("depth_multiplier", 1, new int[] {1}, 1)[0];
        boolean bias = cfg.path("use_bias").asBoolean(true);
        int[] kernel = {w.k()[0], w.k()[1], c, m};
        t.expect(vars, bias ? new int[][] {kernel, {c * m}} : new int[][] {kernel});
        String layer = t.layerName(name, "depthwise");
        addDepthwise(t, layer, w, c, m, vars.get(0));
        if (bias) {
            t.addWeight(layer, "bias", new int[] {c * m}, vars.get(1).data());
        }
        String call = depthwiseCall(w, m) + bias(bias) + t.activation(cfg.path("activation")) + ", "
                + KerasLayers.named(layer) + ")";
        return t.emit(name, call, source, List.of(x), w.shape(Math.multiplyExact(c, m), x), null);
    }

    private static String depthwiseCall(Window w, int m) {
        return "depthwise_conv2d(kernel=" + pair(w.k()) + (m != 1 ? ", multiplier=" + m : "") + w.args(new int[] {1, 1});
    }

    /** A {@code (kh, kw, C, m)} depthwise kernel as {@code [C*m, 1, kh, kw]} (output channel {@code c*m + j}). */
    private static void addDepthwise(KerasLayers t, String layer, Window w, int c, int m, KerasFile.Array k) {
        t.addWeight(layer, "weight", new int[] {c * m, 1, w.k()[0], w.k()[1]},
                oihw(k.data(), w.k()[0], w.k()[1], 1, c * m));
    }

    /** SeparableConv2D: a depthwise convolution without bias, then a 1x1 convolution with the bias and activation. */
    static Value separable(KerasLayers t, String name, String source, Value x, List<KerasFile.Array> vars) {
        int c = t.map(x).shape()[0];
        JsonNode cfg = t.cfg();
        Window w = window(t, "kernel_size", null);
        int m = t.ints("depth_multiplier", 1, new int[] {1}, 1)[0];
        int f = t.ints("filters", 1, null, 1)[0];
        boolean bias = cfg.path("use_bias").asBoolean(true);
        int cm = Math.multiplyExact(c, m);
        int[] dk = {w.k()[0], w.k()[1], c, m};
        int[] pk = {1, 1, cm, f};
        t.expect(vars, bias ? new int[][] {dk, pk, {f}} : new int[][] {dk, pk});
        String dwLayer = t.layerName(name + "_depthwise", "depthwise");
        addDepthwise(t, dwLayer, w, c, m, vars.get(0));
        Value dw = t.emit(name + "_depthwise", depthwiseCall(w, m) + ", bias=false, " + KerasLayers.named(dwLayer)
                + ")", source, List.of(x), w.shape(cm, x), null);
        String layer = t.layerName(name, "conv");
        t.addWeight(layer, "weight", new int[] {f, cm, 1, 1}, oihw(vars.get(1).data(), 1, 1, cm, f));
        if (bias) {
            t.addWeight(layer, "bias", new int[] {f}, vars.get(2).data());
        }
        String call = "conv2d(" + f + ", kernel=1" + bias(bias) + t.activation(cfg.path("activation")) + ", "
                + KerasLayers.named(layer) + ")";
        return t.emit(name, call, source, List.of(dw), new int[] {f, dw.shape()[1], dw.shape()[2]}, null);
    }

    /**
     * Conv2DTranspose: Keras's output is {@code H*S + max(K' - S, 0)} ({@code valid}) or {@code H*S}
     * ({@code same}, TensorFlow cropping {@code (K' - S) / 2} rows at the top, the rest at the bottom),
     * with {@code K' = D*(K-1) + 1}; as PyTorch's symmetric padding and output padding.
     */
    static Value transposed(KerasLayers t, String name, String source, Value x, List<KerasFile.Array> vars) {
        int c = t.map(x).shape()[0];
        JsonNode cfg = t.cfg();
        int f = t.ints("filters", 1, null, 1)[0];
        Window w = window(t, "kernel_size", null);
        if (!(cfg.path("output_padding").isNull() || cfg.path("output_padding").isMissingNode())) {
            throw t.form(t.current() + " has output_padding " + KerasFile.shown(String.valueOf(cfg.path("output_padding")))
                    + "; Striate imports Conv2DTranspose with output_padding=None");
        }
        int[] pad = new int[2];
        int[] extra = new int[2];
        int[] out = new int[2];
        for (int a = 0; a < 2; a++) {
            int keff = w.d()[a] * (w.k()[a] - 1) + 1;
            int crop = w.same() ? keff - w.s()[a] : 0;
            if (crop >= 0 && crop % 2 != 0) {
                throw t.form(t.current() + " has padding 'same' with kernel " + pair(w.k()) + " and strides "
                        + pair(w.s()) + ": TensorFlow crops the odd row at the bottom, which PyTorch's symmetric "
                        + "padding cannot; use an even kernel - stride, or padding 'valid'");
            }
            pad[a] = Math.max(crop, 0) / 2;
            extra[a] = crop < 0 ? -crop : w.same() ? 0 : Math.max(w.s()[a] - keff, 0);
            out[a] = Math.addExact(Math.multiplyExact(x.shape()[a + 1] - 1, w.s()[a]), keff + extra[a] - 2 * pad[a]);
        }
        boolean bias = cfg.path("use_bias").asBoolean(true);
        int[] kernel = {w.k()[0], w.k()[1], f, c};
        t.expect(vars, bias ? new int[][] {kernel, {f}} : new int[][] {kernel});
        String layer = t.layerName(name, "conv_transpose");
        t.addWeight(layer, "weight", new int[] {c, f, w.k()[0], w.k()[1]}, oihw(vars.get(0).data(), w.k()[0], w.k()[1],
                f, c));
        if (bias) {
            t.addWeight(layer, "bias", new int[] {f}, vars.get(1).data());
        }
        StringBuilder call = new StringBuilder("conv_transpose2d(" + f + ", kernel=" + pair(w.k()));
        if (w.s()[0] != 1 || w.s()[1] != 1) {
            call.append(", stride=").append(pair(w.s()));
        }
        if (pad[0] != 0 || pad[1] != 0) {
            call.append(", padding=").append(pair(pad));
        }
        if (extra[0] != 0 || extra[1] != 0) {
            call.append(", output_padding=").append(pair(extra));
        }
        if (w.d()[0] != 1 || w.d()[1] != 1) {
            call.append(", dilation=").append(pair(w.d()));
        }
        call.append(bias(bias)).append(t.activation(cfg.path("activation"))).append(", ")
                .append(KerasLayers.named(layer)).append(')');
        return t.emit(name, call.toString(), source, List.of(x), new int[] {f, out[0], out[1]}, null);
    }

    /** MaxPooling2D and AveragePooling2D; a {@code same} average excludes the padding from its divisor, as Keras does. */
    static Value pool(KerasLayers t, String cls, String name, String source, Value x) {
        int c = t.map(x).shape()[0];
        Window w = window(t, "pool_size", new int[] {2, 2});
        boolean max = cls.startsWith("Max");
        String call = (max ? "maxpool(" : "avgpool(") + pair(w.k()) + w.args(w.k())
                + (!max && w.same() ? ", count_include_pad=false" : "") + ")";
        return t.emit(name, call, source, List.of(x), w.shape(c, x), null);
    }

    /** ZeroPadding2D: {@code p}, {@code (v, h)} or {@code ((top, bottom), (left, right))}. */
    static Value zeroPadding(KerasLayers t, String name, String source, Value x) {
        int[] s = t.map(x).shape();
        JsonNode p = t.cfg().path("padding");
        int[] tblr;
        if (p.isArray() && p.size() == 2 && p.get(0).isArray()) {
            int[] v = nested(t, p.get(0));
            int[] h = nested(t, p.get(1));
            tblr = new int[] {v[0], v[1], h[0], h[1]};
        } else {
            int[] vh = t.ints("padding", 2, new int[] {1, 1}, 0);
            tblr = new int[] {vh[0], vh[0], vh[1], vh[1]};
        }
        boolean even = tblr[0] == tblr[1] && tblr[1] == tblr[2] && tblr[2] == tblr[3];
        String call = "pad(" + (even ? Integer.toString(tblr[0])
                : "[" + tblr[0] + ", " + tblr[1] + ", " + tblr[2] + ", " + tblr[3] + "]") + ")";
        int[] shape = {s[0], s[1] + tblr[0] + tblr[1], s[2] + tblr[2] + tblr[3]};
        return t.emit(name, call, source, List.of(x), shape, null);
    }

    private static int[] nested(KerasLayers t, JsonNode pair) {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(0).canConvertToInt() || !pair.get(1).canConvertToInt()
                || !pair.get(0).isIntegralNumber() || !pair.get(1).isIntegralNumber() || pair.get(0).asInt() < 0
                || pair.get(1).asInt() < 0 || pair.get(0).asInt() > 65536 || pair.get(1).asInt() > 65536) {
            throw t.form(t.current() + " has padding " + KerasFile.shown(String.valueOf(t.cfg().path("padding")))
                    + "; Striate needs ((top, bottom), (left, right)) of integers from 0 to 65536");
        }
        return new int[] {pair.get(0).asInt(), pair.get(1).asInt()};
    }
}
