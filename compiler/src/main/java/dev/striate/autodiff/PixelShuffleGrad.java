package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.PixelShuffle;
import dev.striate.ir.Shape;

/** Pixel shuffle is a permutation: the backward pass applies the same index map in reverse. */
final class PixelShuffleGrad implements GradRule {
    private final PixelShuffle op;

    PixelShuffleGrad(PixelShuffle op) {
        this.op = op;
    }

    /** Loops over every input element, with {@code xi} its index and {@code yi} where it lands. */
    private CodeBlock.Builder loops(RuleContext ctx) {
        Shape in = ctx.in();
        Shape out = ctx.out();
        int r = op.factor();
        return CodeBlock.builder()
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .beginControlFlow("for (int c = 0; c < $L; c++)", out.channels())
                .beginControlFlow("for (int dy = 0; dy < $L; dy++)", r)
                .beginControlFlow("for (int dx = 0; dx < $L; dx++)", r)
                .addStatement("int xo = s * $L + (c * $L + dy * $L + dx) * $L", in.size(), r * r, r,
                        in.height() * in.width())
                .beginControlFlow("for (int iy = 0; iy < $L; iy++)", in.height())
                .addStatement("int yo = s * $L + c * $L + (iy * $L + dy) * $L + dx", out.size(),
                        out.height() * out.width(), r, out.width())
                .beginControlFlow("for (int ix = 0; ix < $L; ix++)", in.width())
                .addStatement("int xi = xo + iy * $L + ix", in.width())
                .addStatement("int yi = yo + ix * $L", r);
    }

    private static CodeBlock close(CodeBlock.Builder b) {
        for (int i = 0; i < 6; i++) {
            b.endControlFlow();
        }
        return b.build();
    }

    @Override
    public void backward(RuleContext ctx) {
        CodeBlock.Builder b = loops(ctx).addStatement("$L[xi] += $L[yi]", ctx.inGrad(0), ctx.outGrad());
        ctx.addBackward(ctx.method("backward_").addCode(close(b)).build());
    }
}
