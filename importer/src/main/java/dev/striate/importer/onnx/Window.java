package dev.striate.importer.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.Arrays;

/**
 * The sliding window of a {@code Conv} or a pool: kernel, strides, dilations and the padding on
 * each side, with {@code auto_pad} resolved against the input's size. ONNX writes {@code pads} as
 * {@code [top, left, bottom, right]}; Striate as {@code [top, bottom, left, right]}.
 *
 * @param same true when the padding is exactly what Striate's {@code padding=same} gives
 *     (ONNX {@code SAME_UPPER}: the odd pixel at the bottom and right)
 */
record Window(int kh, int kw, int sh, int sw, int dh, int dw, int top, int bottom, int left, int right, boolean same) {
    /** The largest kernel, stride, dilation or padding read (larger ones are refused, not overflowed). */
    private static final long MAX = 1 << 16;

    /**
     * Reads the window of {@code node} for an input of {@code h x w}; {@code kernel} is the
     * weight's spatial size for a convolution, or null to read {@code kernel_shape}. Returns null
     * for an {@code auto_pad} value ONNX does not define, or sizes below 1 (pads below 0) or over
     * 65,536.
     */
    static Window of(NodeProto node, int h, int w, int[] kernel) {
        long[] k = kernel != null ? new long[] {kernel[0], kernel[1]} : Attributes.integers(node, "kernel_shape", null);
        long[] s = Attributes.integers(node, "strides", new long[] {1, 1});
        long[] d = Attributes.integers(node, "dilations", new long[] {1, 1});
        long[] p = Attributes.integers(node, "pads", new long[] {0, 0, 0, 0});
        if (k == null || k.length != 2 || s.length != 2 || d.length != 2 || p.length != 4
                || Arrays.stream(k).anyMatch(v -> v < 1 || v > MAX) || Arrays.stream(s).anyMatch(v -> v < 1 || v > MAX)
                || Arrays.stream(d).anyMatch(v -> v < 1 || v > MAX) || Arrays.stream(p).anyMatch(v -> v < 0 || v > MAX)) {
            return null;
        }
        String autoPad = Attributes.text(node, "auto_pad", "NOTSET");
        int kh = (int) k[0];
        int kw = (int) k[1];
        int sh = (int) s[0];
        int sw = (int) s[1];
        int dh = (int) d[0];
        int dw = (int) d[1];
        switch (autoPad) {
            case "NOTSET" -> {
                return new Window(kh, kw, sh, sw, dh, dw, (int) p[0], (int) p[2], (int) p[1], (int) p[3], false);
            }
            case "VALID" -> {
                return new Window(kh, kw, sh, sw, dh, dw, 0, 0, 0, 0, false);
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                boolean upper = autoPad.equals("SAME_UPPER");
                int th = samePadding(h, kh, sh, dh);
                int tw = samePadding(w, kw, sw, dw);
                int top = upper ? th / 2 : th - th / 2;
                int left = upper ? tw / 2 : tw - tw / 2;
                boolean same = upper || (th % 2 == 0 && tw % 2 == 0);
                return new Window(kh, kw, sh, sw, dh, dw, top, th - top, left, tw - left, same);
            }
            default -> {
                return null;
            }
        }
    }

    /** TensorFlow's total padding for {@code ceil(in / s)} outputs. */
    static int samePadding(int in, int k, int s, int d) {
        int out = (in + s - 1) / s;
        return Math.max((out - 1) * s + d * (k - 1) + 1 - in, 0);
    }

    int outH(int h) {
        return Math.floorDiv(h + top + bottom - dh * (kh - 1) - 1, sh) + 1;
    }

    int outW(int w) {
        return Math.floorDiv(w + left + right - dw * (kw - 1) - 1, sw) + 1;
    }

    /** The output size with {@code ceil_mode=1}. */
    int ceilOutH(int h) {
        return -Math.floorDiv(-(h + top + bottom - dh * (kh - 1) - 1), sh) + 1;
    }

    int ceilOutW(int w) {
        return -Math.floorDiv(-(w + left + right - dw * (kw - 1) - 1), sw) + 1;
    }

    boolean padded() {
        return top != 0 || bottom != 0 || left != 0 || right != 0;
    }

    /** Striate's {@code padding} value: {@code same}, an int, {@code [v, h]} or {@code [t, b, l, r]}. */
    String padding() {
        if (same) {
            return "same";
        }
        return sides(top, bottom, left, right);
    }

    static String sides(int top, int bottom, int left, int right) {
        if (top == bottom && left == right) {
            return pair(top, left);
        }
        return "[" + top + ", " + bottom + ", " + left + ", " + right + "]";
    }

    /** An int when both axes agree, else {@code [h, w]}. */
    static String pair(int a, int b) {
        return a == b ? Integer.toString(a) : "[" + a + ", " + b + "]";
    }

    /**
     * Pad's {@code pads} for the listed {@code axes} (opset 18: begins then ends, one per axis,
     * negative axes counted from the end) spread over all {@code rank} axes, zero elsewhere; null
     * when an axis is out of range or repeated, or the amounts do not match the axes.
     */
    static long[] padsOfAllAxes(long[] pads, long[] axes, int rank) {
        if (pads.length != 2 * axes.length) {
            return null;
        }
        long[] all = new long[2 * rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < axes.length; i++) {
            long a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank || seen[(int) a]) {
                return null;
            }
            seen[(int) a] = true;
            all[(int) a] = pads[i];
            all[(int) a + rank] = pads[i + axes.length];
        }
        return all;
    }
}
