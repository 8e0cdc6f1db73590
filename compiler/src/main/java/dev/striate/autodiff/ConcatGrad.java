package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;

/** Channel concatenation: each input's gradient is its slice of the output's gradient. */
final class ConcatGrad implements GradRule {

    @Override
    public void backward(RuleContext ctx) {
        CodeBlock.Builder b = CodeBlock.builder().beginControlFlow("for (int s = 0; s < n; s++)");
        int at = 0;
        for (int i = 0; i < ctx.inputShapes().size(); i++) {
            int size = ctx.inputShapes().get(i).size();
            if (ctx.inGrad(i) != null) {
                b.addStatement("int o$L = s * $L + $L", i, ctx.out().size(), at)
                        .addStatement("int d$L = s * $L", i, size)
                        .beginControlFlow("for (int j = 0; j < $L; j++)", size)
                        .addStatement("$L[d$L + j] += $L[o$L + j]", ctx.inGrad(i), i, ctx.outGrad(), i)
                        .endControlFlow();
            }
            at += size;
        }
        ctx.addBackward(ctx.method("backward_").addCode(b.endControlFlow().build()).build());
    }
}
