package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;

/** Element-wise sum: every input receives the output's gradient unchanged. */
final class AddGrad implements GradRule {

    @Override
    public void forward(RuleContext ctx) {
        int size = ctx.out().size();
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("System.arraycopy($L, 0, $L, 0, n * $L)", ctx.inAct(0), ctx.outAct(), size);
        for (int i = 1; i < ctx.inputShapes().size(); i++) {
            Elementwise.accumulate(b, ctx.outAct(), ctx.inAct(i), null, size);
        }
        ctx.addForward(ctx.method("forward_").addCode(b.build()).build());
    }

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
