package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import dev.striate.text.Lit;
import dev.striate.train.Kernels;
import java.util.ArrayList;
import java.util.List;

/**
 * Max or average pooling. Without padding, windows of at most {@link ConvLoops#MAX_UNROLLED_TAPS}
 * cells are unrolled; otherwise each window loops over the rows and columns inside the input,
 * so padded cells never win a max and, for the average, count only with {@code count_include_pad}.
 * A max pool's training form ({@link LayerContext#methodWithArgmax}: a sample of the trainer's
 * batch arrays, in place) computes the same values the same way and also writes each window's
 * argmax into {@link LayerContext#ARGMAX}: the first cell in window order equal to the maximum, or
 * the last NaN when the maximum is NaN (as PyTorch). For 2x2 windows with stride 2 and no padding
 * (the courses' pool) that form calls the training runtime's {@code Kernels.maxPool2x2}, the same
 * loop with a vector kernel beside it.
 */
final class Pool2dEmitter implements LayerEmitter {
    private final Pool2d op;

    Pool2dEmitter(Pool2d op) {
        this.op = op;
    }

    @Override
    public LayerCode emit(LayerContext ctx) {
        Shape in = ctx.in();
        Shape out = ctx.out();
        Padding.Explicit p = op.resolvedPadding(in);
        boolean max = op.poolKind() == Pool2d.Kind.MAX;
        boolean argmax = max && ctx.recordsArgmax();
        int kh = op.kernelH();
        int kw = op.kernelW();
        if (argmax && op.isPairsOn(in)) {
            // the same loop in the training runtime, which has a vector kernel for it
            CodeBlock call = CodeBlock.of("$T.maxPool2x2(in, out, $L, xo, yo, $L, $L, $L);\n", Kernels.class,
                    LayerContext.ARGMAX, in.channels(), in.height(), in.width());
            return LayerCode.of(ctx.methodWithArgmax(false).addCode(call).build(), false);
        }
        CodeBlock.Builder b = CodeBlock.builder();
        b.beginControlFlow("for (int c = 0; c < $L; c++)", out.channels())
                .addStatement(argmax ? "int c0 = xo + c * $L" : "int c0 = c * $L", in.height() * in.width())
                .addStatement(argmax ? "int o = yo + c * $L" : "int o = c * $L", out.height() * out.width())
                .beginControlFlow("for (int oy = 0; oy < $L; oy++)", out.height());
        if (p.isZero() && kh * kw <= ConvLoops.MAX_UNROLLED_TAPS) {
            b.addStatement("int r = c0 + oy * $L", op.strideH() * in.width())
                    .beginControlFlow("for (int ox = 0; ox < $L; ox++)", out.width())
                    .addStatement("int i = r + ox * $L", op.strideW())
                    .addStatement("float acc = in[i]");
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    if (ky == 0 && kx == 0) {
                        continue;
                    }
                    int at = ky * in.width() + kx;
                    if (max) {
                        b.addStatement("acc = Math.max(acc, in[i + $L])", at);
                    } else {
                        b.addStatement("acc += in[i + $L]", at);
                    }
                }
            }
            if (argmax) {
                unrolledArgmax(b, in, out);
            }
            if (max) {
                b.addStatement("out[o + oy * $L + ox] = acc", out.width());
            } else {
                b.addStatement("out[o + oy * $L + ox] = acc / $L", out.width(), Lit.f(kh * kw));
            }
        } else {
            b.addStatement("int iy = $L", Lit.plus(Lit.times("oy", op.strideH()), -p.top()))
                    .addStatement("int ky0 = Math.max(0, -iy)")
                    .addStatement("int ky1 = Math.min($L, $L - iy)", kh, in.height())
                    .beginControlFlow("for (int ox = 0; ox < $L; ox++)", out.width())
                    .addStatement("int ix = $L", Lit.plus(Lit.times("ox", op.strideW()), -p.left()))
                    .addStatement("int kx0 = Math.max(0, -ix)")
                    .addStatement("int kx1 = Math.min($L, $L - ix)", kw, in.width())
                    .addStatement(max ? "float acc = Float.NEGATIVE_INFINITY" : "float acc = 0f")
                    .beginControlFlow("for (int ky = ky0; ky < ky1; ky++)")
                    .addStatement("int r = c0 + (iy + ky) * $L + ix", in.width())
                    .beginControlFlow("for (int kx = kx0; kx < kx1; kx++)")
                    .addStatement(max ? "acc = Math.max(acc, in[r + kx])" : "acc += in[r + kx]")
                    .endControlFlow()
                    .endControlFlow();
            if (argmax) {
                loopArgmax(b, in, out);
            }
            if (max) {
                b.addStatement("out[o + oy * $L + ox] = acc", out.width());
            } else if (op.countIncludePad()) {
                b.addStatement("out[o + oy * $L + ox] = acc / $L", out.width(), Lit.f(kh * kw));
            } else {
                b.addStatement("out[o + oy * $L + ox] = acc / ((ky1 - ky0) * (kx1 - kx0))", out.width());
            }
        }
        b.endControlFlow().endControlFlow().endControlFlow();
        MethodSpec.Builder m = max ? ctx.methodWithArgmax(false) : ctx.method(false);
        return LayerCode.of(m.addCode(b.build()).build(), false);
    }

    /**
     * The training form's argmax of an unrolled window at {@code in[i]} whose maximum is {@code acc}:
     * branch-free, the first cell equal to it (a chain from the last cell back); when it is NaN (rare,
     * a predictable branch), the last NaN.
     */
    private void unrolledArgmax(CodeBlock.Builder b, Shape in, Shape out) {
        List<String> cells = new ArrayList<>();
        for (int ky = 0; ky < op.kernelH(); ky++) {
            for (int kx = 0; kx < op.kernelW(); kx++) {
                cells.add(Lit.plus("i", ky * in.width() + kx));
            }
        }
        int last = cells.size() - 1;
        b.addStatement("int at = $L", cells.get(last));
        for (int t = last - 1; t >= 0; t--) {
            b.addStatement("at = in[$L] == acc ? $L : at", cells.get(t), cells.get(t));
        }
        b.beginControlFlow("if (acc != acc)").addStatement("at = i");
        for (int t = 1; t <= last; t++) {
            b.addStatement("at = in[$L] != in[$L] ? $L : at", cells.get(t), cells.get(t), cells.get(t));
        }
        b.endControlFlow()
                .addStatement("$L[o + oy * $L + ox] = at", LayerContext.ARGMAX, out.width());
    }

    /**
     * The training form's argmax of a looped window (rows {@code ky0..ky1}, columns {@code kx0..kx1}
     * inside the input) whose maximum is {@code acc}: the first cell equal to it, or the last NaN.
     */
    private void loopArgmax(CodeBlock.Builder b, Shape in, Shape out) {
        b.addStatement("int at = 0")
                .beginControlFlow("if (acc == acc)")
                .beginControlFlow("search: for (int ky = ky0; ky < ky1; ky++)");
        windowRow(b, in).beginControlFlow("if (in[r + kx] == acc)")
                .addStatement("at = r + kx")
                .addStatement("break search")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .nextControlFlow("else")
                .beginControlFlow("for (int ky = ky0; ky < ky1; ky++)");
        windowRow(b, in).beginControlFlow("if (in[r + kx] != in[r + kx])")
                .addStatement("at = r + kx")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .addStatement("$L[o + oy * $L + ox] = at", LayerContext.ARGMAX, out.width());
    }

    /** Opens the loop over one row {@code ky} of a looped window ({@code r}: the row's start). */
    private static CodeBlock.Builder windowRow(CodeBlock.Builder b, Shape in) {
        return b.addStatement("int r = c0 + (iy + ky) * $L + ix", in.width())
                .beginControlFlow("for (int kx = kx0; kx < kx1; kx++)");
    }
}
