package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Pad;
import dev.striate.ir.Padding;
import dev.striate.ir.Shape;

/**
 * Zero padding (forward: the inference class's code): the input gradient is the interior of the output gradient (the border cells are
 * constants, their gradient goes nowhere).
 */
final class PadGrad implements GradRule {
    private final Pad op;

    PadGrad(Pad op) {
        this.op = op;
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
}
