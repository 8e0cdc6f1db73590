package dev.striate.backend.layers;

import static dev.striate.backend.layers.SimdKernels.FLOAT_VECTOR;
import static dev.striate.backend.layers.SimdKernels.helper;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import java.util.List;

/**
 * The pooling kernels of the generated Vector API class: max/average pooling and global pooling of
 * HWC maps, channels in lanes, in window/pixel order. Registered and emitted through {@link SimdKernels}.
 */
final class SimdPools {
    private SimdPools() {
    }

    /**
     * The statement pooling HWC {@code x} ({@code c} channels, {@code h x w}) into HWC {@code y}
     * ({@code oh x ow}) with {@code op}, registering its kernel: {@link #pool2x2} when the windows are
     * 2x2, stride 2 and all inside the input (no padding, the common pool after a convolution), else
     * {@link #pool}.
     */
    static CodeBlock call(SimdKernels kernels, Pool2d op, Padding.Explicit p, String x, String y, int c, int h, int w,
            int oh, int ow) {
        boolean max = op.poolKind() == Pool2d.Kind.MAX;
        if (op.kernelH() == 2 && op.kernelW() == 2 && op.strideH() == 2 && op.strideW() == 2 && p.top() == 0
                && p.left() == 0 && 2 * oh <= h && 2 * ow <= w) {
            String name = max ? "maxPool2x2" : "avgPool2x2";
            kernels.use(name);
            return CodeBlock.of("$L($L, $L, $L, $L, $L, $L);\n", name, x, c, w, y, oh, ow);
        }
        String name = max ? "maxPool" : "avgPool";
        kernels.use(name);
        return CodeBlock.of("$L($L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L);\n", name, x, c, h, w, y, oh,
                ow, op.kernelH(), op.kernelW(), op.strideH(), op.strideW(), p.top(), p.left(), op.countIncludePad());
    }

    /**
     * 2x2 pooling with stride 2 whose windows are all inside the input: per output pixel and channel
     * vector, the four window vectors combined in window order ({@code ((x00 op x01) op x10) op x11},
     * halved twice for an average: the same sum and the same division by 4 as {@link #pool}) in straight-line
     * code, one store, no clipping; channels past the last whole vector one by one.
     */
    static MethodSpec pool2x2(boolean max) {
        String op = max ? "max" : "add";
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("int cv = S.loopBound(c)")
                .addStatement("int row = w * c")
                .beginControlFlow("for (int oy = 0; oy < oh; oy++)")
                .beginControlFlow("for (int ox = 0; ox < ow; ox++)")
                .addStatement("int r = (2 * oy * w + 2 * ox) * c")
                .addStatement("int o = (oy * ow + ox) * c")
                .beginControlFlow("for (int ci = 0; ci < cv; ci += L)")
                .addStatement("$T v = $T.fromArray(S, x, r + ci).$L($T.fromArray(S, x, r + c + ci))", FLOAT_VECTOR,
                        FLOAT_VECTOR, op, FLOAT_VECTOR)
                .addStatement("v = v.$L($T.fromArray(S, x, r + row + ci)).$L($T.fromArray(S, x, r + row + c + ci))", op,
                        FLOAT_VECTOR, op, FLOAT_VECTOR);
        b.addStatement(max ? "v.intoArray(y, o + ci)" : "v.div(4f).intoArray(y, o + ci)")
                .endControlFlow()
                .beginControlFlow("for (int ci = cv; ci < c; ci++)")
                .addStatement("int i = r + ci");
        if (max) {
            b.addStatement("y[o + ci] = Math.max(Math.max(Math.max(x[i], x[i + c]), x[i + row]), x[i + row + c])");
        } else {
            b.addStatement("y[o + ci] = (x[i] + x[i + c] + x[i + row] + x[i + row + c]) / 4f");
        }
        b.endControlFlow().endControlFlow().endControlFlow();
        return helper(max ? "maxPool2x2" : "avgPool2x2", (max ? "Max" : "Average") + " pooling, 2x2 windows with stride 2, all inside the input, of HWC {@code x}\n"
                + "({@code c} channels, rows of {@code w} pixels) into HWC {@code y} ({@code oh x ow}): channels in lanes,\n"
                + "the four cells combined in window order in straight-line code.")
                .addParameter(float[].class, "x").addParameter(int.class, "c").addParameter(int.class, "w")
                .addParameter(float[].class, "y").addParameter(int.class, "oh").addParameter(int.class, "ow")
                .addCode(b.build()).build();
    }

    static MethodSpec pool(boolean max) {
        String init = max ? "Float.NEGATIVE_INFINITY" : "0f";
        String op = max ? "max" : "add";
        MethodSpec.Builder m = helper(max ? "maxPool" : "avgPool", (max ? "Max" : "Average") + " pooling of HWC {@code x} ({@code c} channels, {@code h x w}) into HWC {@code y},\n"
                + "channels in lanes, window cells in order, accumulating in {@code y} itself (no vector value is\n"
                + "carried through the nested loops: JDK 17's C2 would box it); windows are clipped to the input, so\n"
                + "padded cells never win a max and count in an average only when {@code includePad}.")
                .addParameter(float[].class, "x").addParameter(int.class, "c").addParameter(int.class, "h")
                .addParameter(int.class, "w").addParameter(float[].class, "y").addParameter(int.class, "oh")
                .addParameter(int.class, "ow").addParameter(int.class, "kh").addParameter(int.class, "kw")
                .addParameter(int.class, "sh").addParameter(int.class, "sw").addParameter(int.class, "pt")
                .addParameter(int.class, "pl").addParameter(boolean.class, "includePad");
        CodeBlock.Builder b = CodeBlock.builder()
                        .addStatement("int cv = S.loopBound(c)")
                        .addStatement("$T start = $T.broadcast(S, $L)", FLOAT_VECTOR, FLOAT_VECTOR, init)
                        .beginControlFlow("for (int oy = 0; oy < oh; oy++)")
                        .addStatement("int iy = oy * sh - pt")
                        .addStatement("int ky0 = Math.max(0, -iy)")
                        .addStatement("int ky1 = Math.min(kh, h - iy)")
                        .beginControlFlow("for (int ox = 0; ox < ow; ox++)")
                        .addStatement("int ix = ox * sw - pl")
                        .addStatement("int kx0 = Math.max(0, -ix)")
                        .addStatement("int kx1 = Math.min(kw, w - ix)")
                        .addStatement("int o = (oy * ow + ox) * c")
                        .beginControlFlow("for (int ci = 0; ci < cv; ci += L)")
                        .addStatement("start.intoArray(y, o + ci)")
                        .endControlFlow()
                        .beginControlFlow("for (int ci = cv; ci < c; ci++)")
                        .addStatement("y[o + ci] = $L", init)
                        .endControlFlow()
                        .beginControlFlow("for (int ky = ky0; ky < ky1; ky++)")
                        .beginControlFlow("for (int kx = kx0; kx < kx1; kx++)")
                        .addStatement("int r = ((iy + ky) * w + ix + kx) * c")
                        .beginControlFlow("for (int ci = 0; ci < cv; ci += L)")
                        .addStatement("$T.fromArray(S, y, o + ci).$L($T.fromArray(S, x, r + ci)).intoArray(y, o + ci)",
                                FLOAT_VECTOR, op, FLOAT_VECTOR)
                        .endControlFlow()
                        .beginControlFlow("for (int ci = cv; ci < c; ci++)")
                        .addStatement(max ? "y[o + ci] = Math.max(y[o + ci], x[r + ci])" : "y[o + ci] += x[r + ci]")
                        .endControlFlow()
                        .endControlFlow()
                        .endControlFlow();
        if (!max) {
            b.addStatement("float div = includePad ? kh * kw : (ky1 - ky0) * (kx1 - kx0)")
                    .beginControlFlow("for (int ci = 0; ci < c; ci++)")
                    .addStatement("y[o + ci] /= div")
                    .endControlFlow();
        }
        b.endControlFlow().endControlFlow();
        return m.addCode(b.build()).build();
    }

    static MethodSpec globalPool(boolean max) {
        String op = max ? "acc.max(v)" : "acc.add(v)";
        return helper(max ? "globalMaxPool" : "globalAvgPool", "Global " + (max ? "max" : "average")
                + " pooling of HWC {@code x} ({@code c} channels, {@code n} pixels) into\n"
                + "{@code y[c]}, channels in lanes, pixels in order.")
                .addParameter(float[].class, "x").addParameter(int.class, "c").addParameter(int.class, "n")
                .addParameter(float[].class, "y")
                .addCode(CodeBlock.builder()
                        .addStatement("int cv = S.loopBound(c)")
                        .beginControlFlow("for (int ci = 0; ci < cv; ci += L)")
                        .addStatement("$T acc = $T.fromArray(S, x, ci)", FLOAT_VECTOR, FLOAT_VECTOR)
                        .beginControlFlow("for (int i = 1; i < n; i++)")
                        .addStatement("$T v = $T.fromArray(S, x, i * c + ci)", FLOAT_VECTOR, FLOAT_VECTOR)
                        .addStatement("acc = $L", op)
                        .endControlFlow()
                        .addStatement(max ? "acc.intoArray(y, ci)" : "acc.div((float) n).intoArray(y, ci)")
                        .endControlFlow()
                        .beginControlFlow("for (int ci = cv; ci < c; ci++)")
                        .addStatement("float acc = x[ci]")
                        .beginControlFlow("for (int i = 1; i < n; i++)")
                        .addStatement(max ? "acc = Math.max(acc, x[i * c + ci])" : "acc += x[i * c + ci]")
                        .endControlFlow()
                        .addStatement(max ? "y[ci] = acc" : "y[ci] = acc / n")
                        .endControlFlow()
                        .build())
                .build();
    }

    /**
     * The pool node that alone reads {@code node}'s value (not a graph output), or null: a conv followed by a pool
     * that {@code FusePool} did not fuse (its limits are the scalar class's) need compute only what the pool reads.
     */
    static Node soleReader(Graph graph, Node node) {
        if (graph.outputs().contains(node.name())) {
            return null;
        }
        List<Node> readers = graph.consumers(node.name());
        if (readers.size() != 1 || !(readers.get(0).op() instanceof Pool2d) || readers.get(0).inputs().size() != 1) {
            return null;
        }
        return readers.get(0);
    }

    /** Whether no window of {@code op} on {@code in} is clipped (no padding, every window inside). */
    static boolean inside(Pool2d op, Shape in, Shape out) {
        Padding.Explicit p = op.resolvedPadding(in);
        return p.top() == 0 && p.left() == 0 && (out.height() - 1) * op.strideH() + op.kernelH() <= in.height()
                && (out.width() - 1) * op.strideW() + op.kernelW() <= in.width();
    }

    /**
     * The pooling of CHW {@code x} ({@code in}, no window clipped) into HWC {@code y}: a loop nest with the
     * shapes as literals, each output summed or maxed in a register over its window in order, as the HWC pools
     * do.
     */
    static void chwToHwc(CodeBlock.Builder body, Pool2d op, String x, Shape in, String y, Shape out) {
        boolean max = op.poolKind() == Pool2d.Kind.MAX;
        int ch = in.channels();
        body.add("// each output $L in a register over its window, in order, from CHW into HWC\n", max ? "maxed" : "summed")
                .addStatement("int o = 0")
                .beginControlFlow("for (int oy = 0; oy < $L; oy++)", out.height())
                .beginControlFlow("for (int ox = 0; ox < $L; ox++)", out.width())
                .addStatement("int start = oy * $L + ox * $L", op.strideH() * in.width(), op.strideW())
                .beginControlFlow("for (int ci = 0; ci < $L; ci++)", ch)
                .addStatement("float a = $L", max ? "Float.NEGATIVE_INFINITY" : "0f")
                .addStatement("int r = start + ci * $L", in.plane())
                .beginControlFlow("for (int ky = 0; ky < $L; ky++)", op.kernelH())
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", op.kernelW())
                .addStatement(max ? "a = Math.max(a, $L[r + kx])" : "a += $L[r + kx]", x)
                .endControlFlow()
                .addStatement("r += $L", in.width())
                .endControlFlow()
                .addStatement("$L[o + ci] = a$L", y, max ? "" : " / " + op.kernelH() * op.kernelW() + "f")
                .endControlFlow()
                .addStatement("o += $L", ch)
                .endControlFlow()
                .endControlFlow();
    }

    /**
     * The pooling of HWC {@code x} ({@code in}) into HWC {@code y} ({@code out}): the shared kernel (channels
     * in lanes); when no window is clipped, for JVMs whose vector holds more floats than there are channels, a
     * loop nest in the layer method with the shapes as literals (C2 unrolls its window and channel loops,
     * which the shared kernel's scalar tail, with its sizes as arguments, cannot have: LeNet-5's vector class
     * took 0.84-0.87x the time with it, on JDK 25).
     */
    static void layer(SimdKernels kernels, CodeBlock.Builder body, Pool2d op, String x, Shape in, String y, Shape out) {
        Padding.Explicit p = op.resolvedPadding(in);
        boolean max = op.poolKind() == Pool2d.Kind.MAX;
        int ch = in.channels();
        boolean inside = inside(op, in, out);
        if (inside && ch < VectorEmitters.MAX_LANES) {
            int row = in.width() * ch;
            body.beginControlFlow("if (L > $L)", ch)
                    .add("// fewer channels than a vector: each output $L in a register over its window, in order\n",
                            max ? "maxed" : "summed")
                    .addStatement("int o = 0")
                    .beginControlFlow("for (int oy = 0; oy < $L; oy++)", out.height())
                    .beginControlFlow("for (int ox = 0; ox < $L; ox++)", out.width())
                    .addStatement("int start = oy * $L + ox * $L", op.strideH() * row, op.strideW() * ch)
                    .beginControlFlow("for (int ci = 0; ci < $L; ci++)", ch)
                    .addStatement("float a = $L", max ? "Float.NEGATIVE_INFINITY" : "0f")
                    .addStatement("int r = start + ci")
                    .beginControlFlow("for (int ky = 0; ky < $L; ky++)", op.kernelH())
                    .beginControlFlow("for (int kx = 0; kx < $L; kx++)", op.kernelW())
                    .addStatement(max ? "a = Math.max(a, $L[r + kx * $L])" : "a += $L[r + kx * $L]", x, ch)
                    .endControlFlow()
                    .addStatement("r += $L", row)
                    .endControlFlow()
                    .addStatement("$L[o + ci] = a$L", y, max ? "" : " / " + op.kernelH() * op.kernelW() + "f")
                    .endControlFlow()
                    .addStatement("o += $L", ch)
                    .endControlFlow()
                    .endControlFlow()
                    .nextControlFlow("else");
        }
        body.add(call(kernels, op, p, x, y, ch, in.height(), in.width(), out.height(), out.width()));
        if (inside && ch < VectorEmitters.MAX_LANES) {
            body.endControlFlow();
        }
    }
}
