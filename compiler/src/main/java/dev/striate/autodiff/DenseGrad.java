package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Dense;

/**
 * Fully connected layer {@code y = act(W x + b)}, {@code W [units, in]}: the forward pass is the
 * inference class's code; backward, over the whole batch as matrix products on the runtime's
 * {@code Gemm}, after the activation's derivative gives d z: d b = sum of d z, {@code dW += dZ^T X}
 * and {@code dX += dZ W}.
 */
final class DenseGrad implements GradRule {
    private final Dense op;

    DenseGrad(Dense op) {
        this.op = op;
    }

    @Override
    public String keptPreActivation(RuleContext ctx) {
        return ActivationGrad.keptPreActivation(op.activation(), ctx);
    }

    @Override
    public void backward(RuleContext ctx) {
        int in = ctx.in().size();
        int units = op.units();
        CodeBlock.Builder b = CodeBlock.builder();
        Bias.activationAndGrad(b, op.activation(), op.bias(), ctx);
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
