package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Dense;

/**
 * Fully connected layer {@code y = act(W x + b)}, {@code W [units, in]}. Backward: d z from the
 * activation; d b = sum of d z; d W += d z x^T and d x += W^T d z, both as unit-stride row updates
 * that skip zero gradients (frequent after ReLU).
 */
final class DenseGrad implements GradRule {
    private final Dense op;

    DenseGrad(Dense op) {
        this.op = op;
        ActivationGrad.check(op.activation());
    }

    @Override
    public void forward(RuleContext ctx) {
        int in = ctx.in().size();
        int units = op.units();
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final float[] x = $L", ctx.inAct(0))
                .addStatement("final float[] y = $L", ctx.outAct())
                .addStatement("final float[] w = $L", ctx.param("weight"))
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .addStatement("int xo = s * $L", in)
                .beginControlFlow("for (int j = 0; j < $L; j++)", units)
                .addStatement("int wo = j * $L", in)
                .addStatement("float acc = 0f")
                .beginControlFlow("for (int i = 0; i < $L; i++)", in)
                .addStatement("acc += w[wo + i] * x[xo + i]")
                .endControlFlow()
                .addStatement("y[s * $L + j] = acc$L", units, op.bias() ? " + " + ctx.param("bias") + "[j]" : "")
                .endControlFlow()
                .endControlFlow();
        ActivationGrad.forward(b, op.activation(), ctx.outAct(), ctx.out());
        ctx.addForward(ctx.method("forward_").addCode(b.build()).build());
    }

    @Override
    public void backward(RuleContext ctx) {
        int in = ctx.in().size();
        int units = op.units();
        CodeBlock.Builder b = CodeBlock.builder();
        ActivationGrad.backward(b, op.activation(), ctx.outAct(), ctx.outGrad(), ctx.out());
        if (op.bias()) {
            Bias.grad(b, ctx.outGrad(), ctx.paramGrad("bias"), ctx.out());
        }
        String dx = ctx.inGrad(0);
        b.addStatement("final float[] x = $L", ctx.inAct(0))
                .addStatement("final float[] dz = $L", ctx.outGrad())
                .addStatement("final float[] w = $L", ctx.param("weight"))
                .addStatement("final float[] dw = $L", ctx.paramGrad("weight"));
        if (dx != null) {
            b.addStatement("final float[] dx = $L", dx);
        }
        b.beginControlFlow("for (int s = 0; s < n; s++)")
                .addStatement("int xo = s * $L", in)
                .beginControlFlow("for (int j = 0; j < $L; j++)", units)
                .addStatement("float d = dz[s * $L + j]", units)
                .beginControlFlow("if (d == 0f)")
                .addStatement("continue")
                .endControlFlow()
                .addStatement("int wo = j * $L", in)
                .beginControlFlow("for (int i = 0; i < $L; i++)", in)
                .addStatement("dw[wo + i] += d * x[xo + i]")
                .endControlFlow();
        if (dx != null) {
            b.beginControlFlow("for (int i = 0; i < $L; i++)", in)
                    .addStatement("dx[xo + i] += d * w[wo + i]")
                    .endControlFlow();
        }
        b.endControlFlow().endControlFlow();
        ctx.addBackward(ctx.method("backward_").addCode(b.build()).build());
    }
}
