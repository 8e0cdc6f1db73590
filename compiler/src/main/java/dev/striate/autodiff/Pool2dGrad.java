package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import dev.striate.train.Kernels;

/**
 * Max and average pooling; the forward pass is the class's code. Max: the class's training form of
 * the pool records, per output, the input index of the first maximum in window order (as PyTorch:
 * padded cells never win, the last NaN wins) and the backward pass routes the gradient there.
 * Average: each output's gradient, divided by the forward's divisor (the full window, or only the
 * real cells when {@code count_include_pad} is false), goes to every real cell.
 */
final class Pool2dGrad implements GradRule {
    private final Pool2d op;

    Pool2dGrad(Pool2d op) {
        this.op = op;
    }

    @Override
    public String keptArgmax(RuleContext ctx) {
        return op.poolKind() == Pool2d.Kind.MAX ? argmax(ctx) : null;
    }

    /** The batch array of a max pool's argmax indices, kept by the forward pass (the class's training form). */
    static String argmax(RuleContext ctx) {
        return ctx.scratchInts("argmax", ctx.out().size());
    }

    /** A max pool's backward: each output's gradient goes to its argmax, an index in the batch's input. */
    static void routeToArgmax(CodeBlock.Builder b, RuleContext ctx) {
        b.addStatement("final int[] arg = $L", argmax(ctx));
        if (ctx.poolMasksInputRelu() && ReluPoolFusion.pairs(ctx.node(), ctx.in())) {
            // writes the whole input gradient, which the worker therefore does not clear (ReluPoolFusion.poolWritesGradient)
            b.addStatement("$T.maxPool2x2Backward(dy, $L, arg, dx, n, $L, $L, $L)",
                    Kernels.class, ctx.outAct(),
                    ctx.in().channels(), ctx.in().height(), ctx.in().width());
            return;
        }
        if (ctx.poolMasksInputRelu()) {
            // the input conv's ReLU mask, from this pool's output (the value at the argmax): ReluPoolFusion. In int
            // bits (dy or +0f): a float select is a branch on x86, mispredicted about every other ReLU output
            b.addStatement("final float[] y = $L", ctx.outAct())
                    .beginControlFlow("for (int i = 0, e = n * $L; i < e; i++)", ctx.out().size())
                    .addStatement("dx[arg[i]] += Float.intBitsToFloat(Float.floatToRawIntBits(dy[i]) & (y[i] > 0f ? -1 : 0))")
                    .endControlFlow();
            return;
        }
        b.beginControlFlow("for (int i = 0, e = n * $L; i < e; i++)", ctx.out().size())
                .addStatement("dx[arg[i]] += dy[i]")
                .endControlFlow();
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
            routeToArgmax(b, ctx);
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
