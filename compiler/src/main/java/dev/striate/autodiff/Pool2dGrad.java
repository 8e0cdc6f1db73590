package dev.striate.autodiff;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;

/**
 * Max and average pooling. Max: the forward pass records, per output, the input index of the
 * first maximum in window order (as PyTorch; padded cells never win) and the backward pass routes
 * the gradient there. Average: each output's gradient, divided by the forward's divisor (the full
 * window, or only the real cells when {@code count_include_pad} is false), goes to every real cell.
 */
final class Pool2dGrad implements GradRule {
    private final Pool2d op;

    Pool2dGrad(Pool2d op) {
        this.op = op;
    }

    @Override
    public void forward(RuleContext ctx) {
        boolean max = op.poolKind() == Pool2d.Kind.MAX;
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final float[] x = $L", ctx.inAct(0))
                .addStatement("final float[] y = $L", ctx.outAct());
        if (max) {
            b.addStatement("final int[] arg = $L", ctx.scratchInts("argmax", ctx.out().size()));
        }
        if (max && unrolledMax(ctx)) {
            maxUnrolled(b, ctx);
            ctx.addForward(ctx.method("forward_").addCode(b.build()).build());
            return;
        }
        windows(b, ctx);
        if (max) {
            b.addStatement("float best = Float.NEGATIVE_INFINITY")
                    .addStatement("int at = iy0 * $L + ix0", ctx.in().width())
                    .beginControlFlow("for (int iy = iy0; iy < iy1; iy++)")
                    .beginControlFlow("for (int ix = ix0; ix < ix1; ix++)")
                    .addStatement("int i = iy * $L + ix", ctx.in().width())
                    .addStatement("float v = x[xo + i]")
                    .beginControlFlow("if (v > best || Float.isNaN(v))")
                    .addStatement("best = v")
                    .addStatement("at = i")
                    .endControlFlow()
                    .endControlFlow()
                    .endControlFlow()
                    .addStatement("y[yi] = best")
                    .addStatement("arg[yi] = xo + at");
        } else {
            b.addStatement("float sum = 0f")
                    .beginControlFlow("for (int iy = iy0; iy < iy1; iy++)")
                    .beginControlFlow("for (int ix = ix0; ix < ix1; ix++)")
                    .addStatement("sum += x[xo + iy * $L + ix]", ctx.in().width())
                    .endControlFlow()
                    .endControlFlow()
                    .addStatement("y[yi] = sum / $L", divisor());
        }
        closeWindows(b);
        ctx.addForward(ctx.method("forward_").addCode(b.build()).build());
    }

    /**
     * Small unpadded max windows: the runtime's vector kernel ({@code Kernels.maxPool}) when it runs, else
     * unrolled loops (no bounds, no inner loops).
     */
    private boolean unrolledMax(RuleContext ctx) {
        return op.resolvedPadding(ctx.in()).isZero() && op.kernelH() * op.kernelW() <= 9;
    }

    private void maxUnrolled(CodeBlock.Builder b, RuleContext ctx) {
        Shape in = ctx.in();
        Shape out = ctx.out();
        // the vector kernel (gathers) when it runs, else the loop below
        b.beginControlFlow("if ($T.maxPool(x, y, arg, n, $L, $L, $L, $L, $L, $L, $L, $L, $L))",
                        ClassName.get("dev.striate.train", "Kernels"), out.channels(), in.height(), in.width(), out.height(),
                        out.width(), op.kernelH(), op.kernelW(), op.strideH(), op.strideW())
                .addStatement("return")
                .endControlFlow();
        b.beginControlFlow("for (int s = 0; s < n; s++)")
                .beginControlFlow("for (int c = 0; c < $L; c++)", out.channels())
                .addStatement("int xo = s * $L + c * $L", in.size(), in.height() * in.width())
                .addStatement("int yo = s * $L + c * $L", out.size(), out.height() * out.width())
                .beginControlFlow("for (int oy = 0; oy < $L; oy++)", out.height())
                .addStatement("int rowBase = xo + oy * $L", op.strideH() * in.width())
                .beginControlFlow("for (int ox = 0; ox < $L; ox++)", out.width())
                .addStatement("int base = rowBase + ox * $L", op.strideW());
        // branch-free: the max first, then the first cell in window order that equals it
        java.util.List<Integer> offs = new java.util.ArrayList<>();
        for (int ky = 0; ky < op.kernelH(); ky++) {
            for (int kx = 0; kx < op.kernelW(); kx++) {
                offs.add(ky * in.width() + kx);
            }
        }
        StringBuilder max = new StringBuilder("v" + offs.get(0));
        for (int off : offs) {
            b.addStatement("float v$L = x[base + $L]", off, off);
            if (off != offs.get(0)) {
                max.insert(0, "Math.max(").append(", v").append(off).append(")");
            }
        }
        b.addStatement("float best = $L", max)
                .addStatement("int at = base + $L", offs.get(offs.size() - 1));
        for (int i = offs.size() - 2; i >= 0; i--) {
            b.addStatement("at = v$L == best ? base + $L : at", offs.get(i), offs.get(i));
        }
        b.addStatement("y[yo + oy * $L + ox] = best", out.width())
                .addStatement("arg[yo + oy * $L + ox] = at", out.width())
                .endControlFlow().endControlFlow().endControlFlow().endControlFlow();
    }

    private String divisor() {
        return op.countIncludePad() ? Integer.toString(op.kernelH() * op.kernelW()) + "f"
                : "(float) ((iy1 - iy0) * (ix1 - ix0))";
    }

    @Override
    public void backward(RuleContext ctx) {
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final float[] dx = $L", ctx.inGrad(0))
                .addStatement("final float[] dy = $L", ctx.outGrad());
        if (op.poolKind() == Pool2d.Kind.MAX) {
            b.addStatement("final int[] arg = $L", ctx.scratchInts("argmax", ctx.out().size()))
                    .beginControlFlow("for (int i = 0, e = n * $L; i < e; i++)", ctx.out().size())
                    .addStatement("dx[arg[i]] += dy[i]")
                    .endControlFlow();
        } else {
            windows(b, ctx);
            b.addStatement("float g = dy[yi] / $L", divisor())
                    .beginControlFlow("for (int iy = iy0; iy < iy1; iy++)")
                    .beginControlFlow("for (int ix = ix0; ix < ix1; ix++)")
                    .addStatement("dx[xo + iy * $L + ix] += g", ctx.in().width())
                    .endControlFlow()
                    .endControlFlow();
            closeWindows(b);
        }
        ctx.addBackward(ctx.method("backward_").addCode(b.build()).build());
    }

    /** Opens loops over samples, channels and output cells, with the window's real rows and columns. */
    private void windows(CodeBlock.Builder b, RuleContext ctx) {
        Shape in = ctx.in();
        Shape out = ctx.out();
        Padding.Explicit p = op.resolvedPadding(in);
        b.beginControlFlow("for (int s = 0; s < n; s++)")
                .beginControlFlow("for (int c = 0; c < $L; c++)", out.channels())
                .addStatement("int xo = s * $L + c * $L", in.size(), in.height() * in.width())
                .addStatement("int yo = s * $L + c * $L", out.size(), out.height() * out.width())
                .beginControlFlow("for (int oy = 0; oy < $L; oy++)", out.height())
                .addStatement("int iy0 = Math.max(0, oy * $L - $L)", op.strideH(), p.top())
                .addStatement("int iy1 = Math.min($L, oy * $L - $L + $L)", in.height(), op.strideH(), p.top(), op.kernelH())
                .beginControlFlow("for (int ox = 0; ox < $L; ox++)", out.width())
                .addStatement("int ix0 = Math.max(0, ox * $L - $L)", op.strideW(), p.left())
                .addStatement("int ix1 = Math.min($L, ox * $L - $L + $L)", in.width(), op.strideW(), p.left(), op.kernelW())
                .addStatement("int yi = yo + oy * $L + ox", out.width());
    }

    private static void closeWindows(CodeBlock.Builder b) {
        b.endControlFlow().endControlFlow().endControlFlow().endControlFlow();
    }
}
