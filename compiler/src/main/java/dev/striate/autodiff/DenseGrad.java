package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Dense;

/**
 * Fully connected layer {@code y = act(W x + b)}, {@code W [units, in]}. The forward pass runs
 * along output rows ({@code y += x_i W^T[i]}, with {@code W^T} rebuilt per batch); backward, after
 * the activation's derivative gives d z: d b = sum of d z, {@code dW += dz x^T} and
 * {@code dx += W^T dz}, all through {@link Axpy} on row arrays (zero inputs and gradients skipped).
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
                .addStatement("final float[][] wT = $L", ctx.scratchRows("weight_t", in, units))
                .addStatement("final float[] acc = $L", ctx.scratchFloats("row", 0, units))
                .beginControlFlow("for (int j = 0; j < $L; j++)", units)
                .beginControlFlow("for (int i = 0; i < $L; i++)", in)
                .addStatement("wT[i][j] = w[j * $L + i]", in)
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .addStatement("int xo = s * $L", in);
        if (op.bias()) {
            b.addStatement("System.arraycopy($L, 0, acc, 0, $L)", ctx.param("bias"), units);
        } else {
            b.addStatement("$T.fill(acc, 0f)", java.util.Arrays.class);
        }
        Axpy.rows(b, in, units, "acc", "wT[$T]", "x[xo + $T]", true);
        b.addStatement("System.arraycopy(acc, 0, y, s * $L, $L)", units, units)
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
                .addStatement("final float[] dw = $L", ctx.paramGrad("weight"))
                .addStatement("final float[][] xRows = $L", ctx.scratchRows("input_rows", 1, in))
                .addStatement("final float[] xr = xRows[0]")
                .addStatement("final float[][] dwT = $L", ctx.scratchRows("weight_grad_t", units, in))
                .beginControlFlow("for (float[] r : dwT)")
                .addStatement("$T.fill(r, 0f)", java.util.Arrays.class)
                .endControlFlow();
        // dW[j] += dz[s][j] * x[s]: rows of dW along the input, one sample at a time
        b.beginControlFlow("for (int s = 0; s < n; s++)")
                .addStatement("System.arraycopy(x, s * $L, xr, 0, $L)", in, in)
                .addStatement("int zo = s * $L", units)
                .beginControlFlow("for (int j = 0; j < $L; j++)", units)
                .addStatement("float d = dz[zo + j]")
                .beginControlFlow("if (d == 0f)")
                .addStatement("continue")
                .endControlFlow()
                .addStatement("final float[] dwr = dwT[j]")
                .beginControlFlow("for (int i = 0; i < $L; i++)", in)
                .addStatement("dwr[i] += d * xr[i]")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("for (int j = 0; j < $L; j++)", units)
                .addStatement("final float[] dwr = dwT[j]")
                .addStatement("int wo = j * $L", in)
                .beginControlFlow("for (int i = 0; i < $L; i++)", in)
                .addStatement("dw[wo + i] += dwr[i]")
                .endControlFlow()
                .endControlFlow();
        ctx.addBackward(ctx.method("backward_").addCode(b.build()).build());
        if (dx != null) {
            CodeBlock.Builder d = CodeBlock.builder()
                    .addStatement("final float[] dz = $L", ctx.outGrad())
                    .addStatement("final float[] w = $L", ctx.param("weight"))
                    .addStatement("final float[] dx = $L", dx)
                    .addStatement("final float[][] wRows = $L", ctx.scratchRows("weight_rows", units, in))
                    .addStatement("final float[] acc = $L", ctx.scratchFloats("input_row", 0, in))
                    .beginControlFlow("for (int j = 0; j < $L; j++)", units)
                    .addStatement("System.arraycopy(w, j * $L, wRows[j], 0, $L)", in, in)
                    .endControlFlow()
                    .beginControlFlow("for (int s = 0; s < n; s++)")
                    .addStatement("int zo = s * $L", units)
                    .addStatement("int xo = s * $L", in)
                    .addStatement("$T.fill(acc, 0f)", java.util.Arrays.class);
            Axpy.rows(d, units, in, "acc", "wRows[$T]", "dz[zo + $T]", true);
            d.beginControlFlow("for (int i = 0; i < $L; i++)", in)
                    .addStatement("dx[xo + i] += acc[i]")
                    .endControlFlow()
                    .endControlFlow();
            ctx.addBackward(ctx.method("backward_input_").addCode(d.build()).build());
        }
    }
}
