package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Pad;
import dev.striate.ir.Padding;
import dev.striate.ir.Shape;

/**
 * Zero padding: the forward pass writes the border zeros and copies each input row into the
 * interior; the input gradient is the interior of the output gradient (the border cells are
 * constants, their gradient goes nowhere).
 */
final class PadGrad implements GradRule {
    private final Pad op;

    PadGrad(Pad op) {
        this.op = op;
    }

    @Override
    public void forward(RuleContext ctx) {
        Shape in = ctx.in();
        Shape out = ctx.out();
        Padding.Explicit p = op.padding();
        int outW = out.width();
        int outPlane = out.height() * outW;
        String y = ctx.outAct();
        CodeBlock.Builder b = CodeBlock.builder()
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .beginControlFlow("for (int c = 0; c < $L; c++)", in.channels())
                .addStatement("int o = s * $L + c * $L", out.size(), outPlane)
                .addStatement("int xo = s * $L + c * $L", in.size(), in.height() * in.width());
        zeros(b, y, "o", 0, p.top() * outW);
        b.beginControlFlow("for (int iy = 0; iy < $L; iy++)", in.height())
                .addStatement("int d = o + (iy + $L) * $L", p.top(), outW);
        zeros(b, y, "d", 0, p.left());
        b.addStatement("System.arraycopy($L, xo + iy * $L, $L, d + $L, $L)", ctx.inAct(0), in.width(), y, p.left(),
                in.width());
        zeros(b, y, "d", p.left() + in.width(), outW);
        b.endControlFlow();
        zeros(b, y, "o", (p.top() + in.height()) * outW, outPlane);
        b.endControlFlow().endControlFlow();
        ctx.addForward(ctx.method("forward_").addCode(b.build()).build());
    }

    @Override
    public void backward(RuleContext ctx) {
        Shape in = ctx.in();
        Shape out = ctx.out();
        Padding.Explicit p = op.padding();
        CodeBlock b = CodeBlock.builder()
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .beginControlFlow("for (int c = 0; c < $L; c++)", in.channels())
                .beginControlFlow("for (int iy = 0; iy < $L; iy++)", in.height())
                .addStatement("int xi = s * $L + (c * $L + iy) * $L", in.size(), in.height(), in.width())
                .addStatement("int yi = s * $L + (c * $L + iy + $L) * $L + $L", out.size(), out.height(), p.top(),
                        out.width(), p.left())
                .beginControlFlow("for (int ix = 0; ix < $L; ix++)", in.width())
                .addStatement("$L[xi + ix] += $L[yi + ix]", ctx.inGrad(0), ctx.outGrad())
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .build();
        ctx.addBackward(ctx.method("backward_").addCode(b).build());
    }

    /** {@code arr[base + i] = 0} for {@code from <= i < to}; nothing when the range is empty. */
    private static void zeros(CodeBlock.Builder b, String arr, String base, int from, int to) {
        if (from >= to) {
            return;
        }
        b.beginControlFlow("for (int i = $L; i < $L; i++)", from, to)
                .addStatement("$L[$L + i] = 0f", arr, base)
                .endControlFlow();
    }
}
