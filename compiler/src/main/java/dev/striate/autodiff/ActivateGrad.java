package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Activate;

/** A standalone activation (forward: the inference class's code); backward turns d out into d in with the derivative. */
final class ActivateGrad implements GradRule {
    private final Activate op;

    ActivateGrad(Activate op) {
        this.op = op;
    }

    @Override
    public void backward(RuleContext ctx) {
        CodeBlock.Builder b = CodeBlock.builder();
        ActivationGrad.backward(b, op.activation(), ctx.outAct(), ctx.outGrad(), ctx.out(), ctx, ctx.inAct(0));
        Elementwise.accumulate(b, ctx.inGrad(0), ctx.outGrad(), null, ctx.out().size());
        ctx.addBackward(ctx.method("backward_").addCode(b.build()).build());
    }
}
