package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Dense;

/**
 * Fully connected layer {@code y = act(W x + b)}, {@code W [units, in]}, over the whole batch as
 * matrix products on the runtime's {@code Gemm}: {@code Y = X W^T} (onto rows preset to the bias);
 * backward, after the activation's derivative gives d z: d b = sum of d z, {@code dW += dZ^T X}
 * and {@code dX += dZ W}.
 */
final class DenseGrad implements GradRule {
    private final Dense op;

    DenseGrad(Dense op) {
        this.op = op;
    }

    @Override
    public void forward(RuleContext ctx) {
        int in = ctx.in().size();
        int units = op.units();
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final float[] x = $L", ctx.inAct(0))
                .addStatement("final float[] y = $L", ctx.outAct())
                .addStatement("final float[] w = $L", ctx.param("weight"));
        if (op.bias()) {
            b.beginControlFlow("for (int s = 0; s < n; s++)")
                    .addStatement("System.arraycopy($L, 0, y, s * $L, $L)", ctx.param("bias"), units, units)
                    .endControlFlow();
        }
        b.add("// Y [n][$L] = X [n][$L] W^T [$L][$L]\n", units, in, in, units)
                .addStatement("$L.multiply(n, $L, $L, x, 0, $L, 1, w, 0, 1, $L, y, 0, $L, $L)", ctx.gemm(), units, in, in, in,
                        units, op.bias());
        ActivationGrad.forward(b, op.activation(), ctx.outAct(), ctx.out(), ctx);
        ctx.addForward(ctx.method("forward_").addCode(b.build()).build());
    }

    @Override
    public void backward(RuleContext ctx) {
        int in = ctx.in().size();
        int units = op.units();
        CodeBlock.Builder b = CodeBlock.builder();
        ActivationGrad.backward(b, op.activation(), ctx.outAct(), ctx.outGrad(), ctx.out(), ctx);
        if (op.bias()) {
            Bias.grad(b, ctx.outGrad(), ctx.paramGrad("bias"), ctx.out());
        }
        String dx = ctx.inGrad(0);
        b.addStatement("final float[] x = $L", ctx.inAct(0))
                .addStatement("final float[] dz = $L", ctx.outGrad())
                .addStatement("final float[] dw = $L", ctx.paramGrad("weight"))
                .add("// dW [$L][$L] += dZ^T [$L][n] X [n][$L]\n", units, in, units, in)
                .addStatement("$L.multiply($L, $L, n, dz, 0, 1, $L, x, 0, $L, 1, dw, 0, $L, true)", ctx.gemm(), units, in, units,
                        in, in);
        ctx.addBackward(ctx.method("backward_").addCode(b.build()).build());
        if (dx != null) {
            CodeBlock.Builder d = CodeBlock.builder()
                    .addStatement("final float[] dz = $L", ctx.outGrad())
                    .addStatement("final float[] w = $L", ctx.param("weight"))
                    .addStatement("final float[] dx = $L", dx)
                    .add("// dX [n][$L] += dZ [n][$L] W [$L][$L]\n", in, units, units, in)
                    .addStatement("$L.multiply(n, $L, $L, dz, 0, $L, 1, w, 0, $L, 1, dx, 0, $L, true)", ctx.gemm(), in, units,
                            units, in, in);
            ctx.addBackward(ctx.method("backward_input_").addCode(d.build()).build());
        }
    }
}
