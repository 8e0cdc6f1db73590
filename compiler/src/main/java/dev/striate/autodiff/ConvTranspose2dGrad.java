package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.ConvGeometry;
import dev.striate.ir.ConvTranspose2d;

/**
 * Transposed convolution with bias and activation: the forward pass is the inference class's code
 * (a scatter of the input through the kernel, one sample at a time), so the input gradient gathers
 * d z back through it (a plain convolution of d z), and d weight correlates the input with d z.
 */
final class ConvTranspose2dGrad implements GradRule {
    private final ConvTranspose2d op;

    ConvTranspose2dGrad(ConvTranspose2d op) {
        this.op = op;
    }

    private ConvGeometry geometry(RuleContext ctx) {
        return ConvGeometry.of(op, ctx.in(), ctx.out());
    }

    @Override
    public String keptPreActivation(RuleContext ctx) {
        return ActivationGrad.keptPreActivation(op.activation(), ctx);
    }

    @Override
    public void backward(RuleContext ctx) {
        CodeBlock.Builder b = CodeBlock.builder();
        Bias.activationAndGrad(b, op.activation(), op.bias(), ctx);
        WindowLoops.weightGrad(b, geometry(ctx), ctx.inAct(0), ctx.outGrad(), ctx.paramGrad("weight"));
        ctx.addBackward(ctx.method("backward_").addCode(b.build()).build());
        if (ctx.inGrad(0) != null) {
            CodeBlock.Builder d = CodeBlock.builder();
            WindowLoops.gather(d, geometry(ctx), ctx.inGrad(0), ctx.outGrad(), ctx.param("weight"));
            ctx.addBackward(ctx.method("backward_input_").addCode(d.build()).build());
        }
    }
}
