package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;

/** Element-wise sum: every input receives the output's gradient unchanged. */
final class AddGrad implements GradRule {

    @Override
    public void backward(RuleContext ctx) {
        CodeBlock.Builder b = CodeBlock.builder();
        for (int i = 0; i < ctx.inputShapes().size(); i++) {
            if (ctx.inGrad(i) != null) {
                Elementwise.accumulate(b, ctx.inGrad(i), ctx.outGrad(), null, ctx.out().size());
            }
        }
        ctx.addBackward(ctx.method("backward_").addCode(b.build()).build());
    }
}
