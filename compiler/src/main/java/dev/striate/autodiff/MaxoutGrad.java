package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Maxout;

/** Maxout over channel groups; the gradient goes to the first maximal piece (recomputed from the input). */
final class MaxoutGrad implements GradRule {
    private final Maxout op;

    MaxoutGrad(Maxout op) {
        this.op = op;
    }

    private CodeBlock.Builder loops(RuleContext ctx) {
        int plane = ctx.in().plane();
        return CodeBlock.builder()
                .addStatement("final float[] x = $L", ctx.inAct(0))
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .beginControlFlow("for (int j = 0; j < $L; j++)", ctx.out().channels())
                .beginControlFlow("for (int p = 0; p < $L; p++)", plane)
                .addStatement("int xi = s * $L + j * $L + p", ctx.in().size(), op.pieces() * plane)
                .addStatement("int at = xi")
                .addStatement("float best = x[xi]")
                .beginControlFlow("for (int k = 1; k < $L; k++)", op.pieces())
                .addStatement("int i = xi + k * $L", plane)
                .beginControlFlow("if (x[i] > best)")
                .addStatement("best = x[i]")
                .addStatement("at = i")
                .endControlFlow()
                .endControlFlow()
                .addStatement("int yi = s * $L + j * $L + p", ctx.out().size(), plane);
    }

    @Override
    public void backward(RuleContext ctx) {
        CodeBlock.Builder b = loops(ctx)
                .addStatement("$L[at] += $L[yi]", ctx.inGrad(0), ctx.outGrad())
                .endControlFlow().endControlFlow().endControlFlow();
        ctx.addBackward(ctx.method("backward_").addCode(b.build()).build());
    }
}
