package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Padding;
import dev.striate.ir.Shape;

/**
 * Convolution (any stride, padding, dilation, groups) with bias and activation. Backward: the
 * activation's derivative turns d out into d z in place; d bias sums d z over positions and
 * samples; d weight correlates d z with the input; d input scatters d z through the kernel.
 */
final class Conv2dGrad implements GradRule {
    private final Conv2d op;

    Conv2dGrad(Conv2d op) {
        this.op = op;
        ActivationGrad.check(op.activation());
    }

    private WindowLoops.Geometry geometry(RuleContext ctx) {
        Shape in = ctx.in();
        Shape out = ctx.out();
        Padding.Explicit p = op.resolvedPadding(in);
        return new WindowLoops.Geometry(out.channels(), in.channels() / op.groups(), op.groups(), out.height(),
                out.width(), in.height(), in.width(), op.kernelH(), op.kernelW(), op.strideH(), op.strideW(),
                op.dilationH(), op.dilationW(), p.top(), p.left());
    }

    @Override
    public void forward(RuleContext ctx) {
        CodeBlock.Builder b = CodeBlock.builder();
        Bias.fill(b, ctx.outAct(), op.bias() ? ctx.param("bias") : null, ctx.out());
        WindowLoops.gather(b, geometry(ctx), ctx.outAct(), ctx.inAct(0), ctx.param("weight"));
        ActivationGrad.forward(b, op.activation(), ctx.outAct(), ctx.out());
        ctx.addForward(ctx.method("forward_").addCode(b.build()).build());
    }

    @Override
    public void backward(RuleContext ctx) {
        CodeBlock.Builder b = CodeBlock.builder();
        ActivationGrad.backward(b, op.activation(), ctx.outAct(), ctx.outGrad(), ctx.out());
        if (op.bias()) {
            Bias.grad(b, ctx.outGrad(), ctx.paramGrad("bias"), ctx.out());
        }
        WindowLoops.weightGrad(b, geometry(ctx), ctx.outGrad(), ctx.inAct(0), ctx.paramGrad("weight"));
        ctx.addBackward(ctx.method("backward_").addCode(b.build()).build());
        if (ctx.inGrad(0) != null) {
            CodeBlock.Builder d = CodeBlock.builder();
            WindowLoops.scatter(d, geometry(ctx), ctx.outGrad(), ctx.inGrad(0), ctx.param("weight"));
            ctx.addBackward(ctx.method("backward_input_").addCode(d.build()).build());
        }
    }
}
