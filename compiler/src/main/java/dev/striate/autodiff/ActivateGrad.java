package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Activate;

/** A standalone activation: copy then apply; backward turns d out into d in with the derivative. */
final class ActivateGrad implements GradRule {
    private final Activate op;

    ActivateGrad(Activate op) {
        this.op = op;
    }

    @Override
    public void forward(RuleContext ctx) {
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("System.arraycopy($L, 0, $L, 0, n * $L)", ctx.inAct(0), ctx.outAct(), ctx.out().size());
        ActivationGrad.forward(b, op.activation(), ctx.outAct(), ctx.out(), ctx);
        ctx.addForward(ctx.method("forward_").addCode(b.build()).build());
    }

    @Override
    public void backward(RuleContext ctx) {
        CodeBlock.Builder b = CodeBlock.builder();
        ActivationGrad.backward(b, op.activation(), ctx.outAct(), ctx.outGrad(), ctx.out(), ctx);
        Elementwise.accumulate(b, ctx.inGrad(0), ctx.outGrad(), null, ctx.out().size());
        ctx.addBackward(ctx.method("backward_").addCode(b.build()).build());
    }
}
