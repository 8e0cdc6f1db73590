package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Padding;
import dev.striate.ir.Shape;

/**
 * Convolution (any stride, padding, dilation, groups) with bias and activation, as matrix
 * products over unfolded windows ({@link Im2col}); per sample and group, with {@code W [F/g][K/g]}:
 * forward {@code Z = W Col}; backward, after the activation's derivative turns d out into d z,
 * {@code dW += dZ ColT} (summed over samples), {@code dColT = dZ^T W} folded back into d input, and
 * d bias = d z summed over positions and samples. The products run through {@link Axpy} on row
 * arrays: output rows ({@code J}, several samples side by side when maps are small) in the
 * forward pass, weight rows ({@code K/g}) in the backward.
 */
final class Conv2dGrad implements GradRule {
    /** The forward pass unfolds several samples side by side until rows are about this long. */
    private static final int PACKED_COLUMNS = 512;

    private final Conv2d op;

    Conv2dGrad(Conv2d op) {
        this.op = op;
        ActivationGrad.check(op.activation());
    }

    private Im2col.Geometry geometry(RuleContext ctx) {
        Shape in = ctx.in();
        Shape out = ctx.out();
        Padding.Explicit p = op.resolvedPadding(in);
        return new Im2col.Geometry(in.channels(), in.height(), in.width(), out.height(), out.width(), op.kernelH(),
                op.kernelW(), op.strideH(), op.strideW(), op.dilationH(), op.dilationW(), p.top(), p.left(), op.groups());
    }

    /** Few output positions (deep layers): run the forward product along filters instead. */
    private boolean forwardAlongFilters(Im2col.Geometry g) {
        return op.groups() == 1 && g.j() < 32 && op.filters() > g.j();
    }

    /** Short weight rows (first layers): run the weight-gradient product along filters instead. */
    private boolean weightGradAlongFilters(Im2col.Geometry g) {
        return op.groups() == 1 && g.kg() < 32 && op.filters() > g.kg();
    }

    @Override
    public void forward(RuleContext ctx) {
        Im2col.Geometry g = geometry(ctx);
        if (forwardAlongFilters(g)) {
            ctx.addForward(ctx.method("forward_").addCode(forwardTransposed(ctx, g)).build());
            return;
        }
        int j = g.j();
        int kg = g.kg();
        int fpg = op.filters() / op.groups();
        int pack = Math.max(1, Math.min(8, PACKED_COLUMNS / j));
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final float[] x = $L", ctx.inAct(0))
                .addStatement("final float[] z = $L", ctx.outAct())
                .addStatement("final float[] w = $L", ctx.param("weight"))
                .addStatement("final float[][] col = $L", ctx.scratchRows("packed_columns", g.k(), pack * j))
                .addStatement("final float[] acc = $L", ctx.scratchFloats("row", 0, pack * j))
                .beginControlFlow("for (int s0 = 0; s0 < n; s0 += $L)", pack)
                .addStatement("int p = Math.min($L, n - s0)", pack)
                .beginControlFlow("for (int q = 0; q < p; q++)")
                .addStatement("int s = s0 + q");
        Im2col.unfold(b, g, "x", "s * " + g.inSize(), "col", "q * " + j);
        b.endControlFlow()
                .addStatement("int len = p * $L", j)
                .beginControlFlow("for (int f = 0; f < $L; f++)", op.filters())
                .addStatement("$T.fill(acc, 0, len, $L)", java.util.Arrays.class, op.bias() ? ctx.param("bias") + "[f]" : "0f")
                .addStatement("int wo = f * $L", kg)
                .addStatement("int cb = f / $L * $L", fpg, kg);
        Axpy.rows(b, kg, "len", "acc", "col[cb + $T]", "w[wo + $T]", false);
        b.beginControlFlow("for (int q = 0; q < p; q++)")
                .addStatement("System.arraycopy(acc, q * $L, z, (s0 + q) * $L + f * $L, $L)", j, ctx.out().size(), j, j)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
        ActivationGrad.forward(b, op.activation(), ctx.outAct(), ctx.out());
        ctx.addForward(ctx.method("forward_").addCode(b.build()).build());
    }

    /** {@code Z^T = ColT W^T} per sample: each position's filter row accumulates along {@code F}. */
    private CodeBlock forwardTransposed(RuleContext ctx, Im2col.Geometry g) {
        int j = g.j();
        int k = g.k();
        int f = op.filters();
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final float[] x = $L", ctx.inAct(0))
                .addStatement("final float[] z = $L", ctx.outAct())
                .addStatement("final float[] w = $L", ctx.param("weight"))
                .addStatement("final float[][] colT = $L", ctx.scratchRows("columns_t", j, k))
                .addStatement("final float[][] wT = $L", ctx.scratchRows("weight_t", k, f))
                .addStatement("final float[] acc = $L", ctx.scratchFloats("filter_row", 0, f))
                .beginControlFlow("for (int f = 0; f < $L; f++)", f)
                .beginControlFlow("for (int k = 0; k < $L; k++)", k)
                .addStatement("wT[k][f] = w[f * $L + k]", k)
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("for (int s = 0; s < n; s++)");
        Im2col.unfoldTransposed(b, g, "x", "s * " + g.inSize(), "colT");
        b.beginControlFlow("for (int jj = 0; jj < $L; jj++)", j);
        if (op.bias()) {
            b.addStatement("System.arraycopy($L, 0, acc, 0, $L)", ctx.param("bias"), f);
        } else {
            b.addStatement("$T.fill(acc, 0f)", java.util.Arrays.class);
        }
        b.addStatement("final float[] cr = colT[jj]");
        Axpy.rows(b, k, f, "acc", "wT[$T]", "cr[$T]", false);
        b.beginControlFlow("for (int f = 0; f < $L; f++)", f)
                .addStatement("z[s * $L + f * $L + jj] = acc[f]", ctx.out().size(), j)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
        ActivationGrad.forward(b, op.activation(), ctx.outAct(), ctx.out());
        return b.build();
    }

    /** {@code dW^T += Col dZ^T} per sample: each kernel tap's filter row accumulates along {@code F}. */
    private void weightGradTransposed(CodeBlock.Builder b, RuleContext ctx, Im2col.Geometry g) {
        int j = g.j();
        int k = g.k();
        int f = op.filters();
        b.addStatement("final float[] x = $L", ctx.inAct(0))
                .addStatement("final float[] dz = $L", ctx.outGrad())
                .addStatement("final float[] dw = $L", ctx.paramGrad("weight"))
                .addStatement("final float[][] col = $L", ctx.scratchRows("columns", k, j))
                .addStatement("final float[][] dzT = $L", ctx.scratchRows("grad_t", j, f))
                .addStatement("final float[][] dwT = $L", ctx.scratchRows("weight_grad_t", k, f))
                .beginControlFlow("for (float[] r : dwT)")
                .addStatement("$T.fill(r, 0f)", java.util.Arrays.class)
                .endControlFlow()
                .beginControlFlow("for (int s = 0; s < n; s++)");
        Im2col.unfold(b, g, "x", "s * " + g.inSize(), "col");
        b.beginControlFlow("for (int jj = 0; jj < $L; jj++)", j)
                .addStatement("final float[] tr = dzT[jj]")
                .addStatement("int zo = s * $L + jj", ctx.out().size())
                .beginControlFlow("for (int f = 0; f < $L; f++)", f)
                .addStatement("tr[f] = dz[zo + f * $L]", j)
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("for (int k = 0; k < $L; k++)", k)
                .addStatement("final float[] cr = col[k]")
                .addStatement("final float[] dwr = dwT[k]");
        Axpy.rows(b, j, f, "dwr", "dzT[$T]", "cr[$T]", true);
        b.endControlFlow().endControlFlow()
                .beginControlFlow("for (int k = 0; k < $L; k++)", k)
                .addStatement("final float[] dwr = dwT[k]")
                .beginControlFlow("for (int f = 0; f < $L; f++)", f)
                .addStatement("dw[f * $L + k] += dwr[f]", k)
                .endControlFlow()
                .endControlFlow();
    }

    @Override
    public void backward(RuleContext ctx) {
        Im2col.Geometry g = geometry(ctx);
        String colT = ctx.scratchRows("columns_t", op.groups() * g.j(), g.kg());
        CodeBlock.Builder b = CodeBlock.builder();
        ActivationGrad.backward(b, op.activation(), ctx.outAct(), ctx.outGrad(), ctx.out());
        if (op.bias()) {
            Bias.grad(b, ctx.outGrad(), ctx.paramGrad("bias"), ctx.out());
        }
        if (weightGradAlongFilters(g)) {
            weightGradTransposed(b, ctx, g);
        } else {
            weightGrad(b, ctx, g, colT);
        }
        ctx.addBackward(ctx.method("backward_").addCode(b.build()).build());
        if (ctx.inGrad(0) != null) {
            ctx.addBackward(ctx.method("backward_input_").addCode(inputGrad(ctx, g, colT)).build());
        }
    }

    /** {@code dW += dZ ColT} per sample and group, along weight rows. */
    private void weightGrad(CodeBlock.Builder b, RuleContext ctx, Im2col.Geometry g, String colT) {
        int j = g.j();
        int kg = g.kg();
        int fpg = op.filters() / op.groups();
        String dwRows = ctx.scratchRows("weight_grad", op.filters(), kg);
        b.addStatement("final float[] x = $L", ctx.inAct(0))
                .addStatement("final float[] dz = $L", ctx.outGrad())
                .addStatement("final float[] dw = $L", ctx.paramGrad("weight"))
                .addStatement("final float[][] colT = $L", colT)
                .addStatement("final float[][] dwRows = $L", dwRows)
                .beginControlFlow("for (float[] r : dwRows)")
                .addStatement("$T.fill(r, 0f)", java.util.Arrays.class)
                .endControlFlow()
                .beginControlFlow("for (int s = 0; s < n; s++)");
        Im2col.unfoldTransposed(b, g, "x", "s * " + g.inSize(), "colT");
        b.beginControlFlow("for (int f = 0; f < $L; f++)", op.filters())
                .addStatement("int zo = s * $L + f * $L", ctx.out().size(), j)
                .addStatement("int cb = f / $L * $L", fpg, j)
                .addStatement("final float[] dwr = dwRows[f]");
        Axpy.rows(b, j, kg, "dwr", "colT[cb + $T]", "dz[zo + $T]", true);
        b.endControlFlow().endControlFlow()
                .beginControlFlow("for (int f = 0; f < $L; f++)", op.filters())
                .addStatement("final float[] dwr = dwRows[f]")
                .addStatement("int wo = f * $L", kg)
                .beginControlFlow("for (int i = 0; i < $L; i++)", kg)
                .addStatement("dw[wo + i] += dwr[i]")
                .endControlFlow()
                .endControlFlow();
    }

    /** {@code dColT = dZ^T W} per sample and position, folded back into the input gradient. */
    private CodeBlock inputGrad(RuleContext ctx, Im2col.Geometry g, String colT) {
        int j = g.j();
        int kg = g.kg();
        int fpg = op.filters() / op.groups();
        CodeBlock.Builder d = CodeBlock.builder()
                .addStatement("final float[] dz = $L", ctx.outGrad())
                .addStatement("final float[] w = $L", ctx.param("weight"))
                .addStatement("final float[] dx = $L", ctx.inGrad(0))
                .addStatement("final float[][] dcolT = $L", colT)
                .addStatement("final float[][] wRows = $L", ctx.scratchRows("weight_rows", op.filters(), kg))
                .beginControlFlow("for (int f = 0; f < $L; f++)", op.filters())
                .addStatement("System.arraycopy(w, f * $L, wRows[f], 0, $L)", kg, kg)
                .endControlFlow()
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .beginControlFlow("for (int gr = 0; gr < $L; gr++)", op.groups())
                .beginControlFlow("for (int jj = 0; jj < $L; jj++)", j)
                .addStatement("final float[] dr = dcolT[gr * $L + jj]", j)
                .addStatement("$T.fill(dr, 0f)", java.util.Arrays.class)
                .addStatement("int zo = s * $L + gr * $L + jj", ctx.out().size(), fpg * j);
        Axpy.rows(d, fpg, kg, "dr", "wRows[gr * " + fpg + " + $T]", "dz[zo + $T * " + j + "]", true);
        d.endControlFlow().endControlFlow();
        Im2col.foldTransposed(d, g, "dcolT", "dx", "s * " + g.inSize());
        d.endControlFlow();
        return d.build();
    }
}
