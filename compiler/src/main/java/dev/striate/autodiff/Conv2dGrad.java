package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvGeometry;

/**
 * Convolution (any stride, padding, dilation, groups) with bias and activation, as matrix
 * products over unfolded windows ({@link Im2col#unfoldFlat}, {@code Col [K][J]}) computed by the
 * runtime's {@code Gemm}; per sample and group, with {@code W [F/g][K/g]}: the forward pass is the
 * inference class's batched code ({@code Z = W Col} over several samples side by side, onto rows
 * preset to the bias, from {@code backend.layers.ConvBatch}, its product on the same {@code Gemm});
 * backward, after the activation's derivative
 * turns d out into d z, {@code dW += dZ Col^T} (summed over samples), {@code dCol = W^T dZ} folded
 * back into d input ({@link Im2col#foldFlat}), and d bias = d z summed over positions and samples.
 * Transposed operands are strided reads, never copies. A layer {@link TrainWinograd#chosen} (3x3, stride 1,
 * at least 32 channels each way) runs its forward pass, weight gradient and input gradient as the runtime's
 * Winograd F(2x2,3x3) instead ({@code dev.striate.train.Winograd}).
 */
final class Conv2dGrad implements GradRule {
    /** Depth a weight-gradient product reaches by taking several samples' positions at once ({@link #chunk}). */
    private static final int CHUNK_DEPTH = 256;

    private final Conv2d op;

    Conv2dGrad(Conv2d op) {
        this.op = op;
    }

    private ConvGeometry geometry(RuleContext ctx) {
        return ConvGeometry.of(op, ctx.in(), ctx.out());
    }

    /**
     * Maps with few output positions (deep layers): products are arranged so that the long
     * dimension is the weight row, and the weight gradient runs over all samples at once.
     */
    private boolean fewPositions(ConvGeometry g) {
        return op.groups() == 1 && g.j() < 32;
    }

    /**
     * Samples whose columns a weight-gradient product takes at once: enough that its depth (the
     * positions of all of them) reaches about {@link #CHUNK_DEPTH}, at most 8. A deep product keeps
     * each tile of C in registers longer: per sample, a 7x7 map's 49 positions made the kernel
     * load and store the whole [K][F] gradient every 49 multiply-adds.
     */
    static int chunk(int j) {
        return Math.max(1, Math.min(8, CHUNK_DEPTH / j));
    }

    /** Opens a loop over groups when there are several ({@code gr} is 0 otherwise). */
    private void openGroups(CodeBlock.Builder b) {
        if (op.groups() > 1) {
            b.beginControlFlow("for (int gr = 0; gr < $L; gr++)", op.groups());
        } else {
            b.addStatement("final int gr = 0");
        }
    }

    private void closeGroups(CodeBlock.Builder b) {
        if (op.groups() > 1) {
            b.endControlFlow();
        }
    }

    @Override
    public String keptPreActivation(RuleContext ctx) {
        return ActivationGrad.keptPreActivation(op.activation(), ctx);
    }

    @Override
    public void backward(RuleContext ctx) {
        ConvGeometry g = geometry(ctx);
        int j = g.j();
        int kg = g.kg();
        int fpg = op.filters() / op.groups();
        int outSize = ctx.out().size();
        // the unfolded windows (not for a Winograd layer, which keeps its buffers in the Gemm)
        String col = TrainWinograd.chosen(g) ? null : ctx.scratchFloats("grad_columns", 0, g.k() * j);
        CodeBlock.Builder b = CodeBlock.builder();
        Bias.activationAndGrad(b, op.activation(), op.bias(), ctx);
        b.addStatement("final float[] x = $L", ctx.inAct(0))
                .addStatement("final float[] dz = $L", ctx.outGrad())
                .addStatement("final float[] dw = $L", ctx.paramGrad("weight"));
        if (TrainWinograd.chosen(g)) {
            TrainWinograd.weightGradient(b, g, ctx.gemm(), "x", "dz", "dw");
        } else if (fewPositions(g)) {
            // dW += [dZ_1 .. dZ_n] [Col_1^T; ..; Col_n^T]: one product over every sample's positions
            b.add("// dW += dZ Col^T over all samples at once: dZ as [$L][n * $L], Col^T as [n * $L][$L]\n", op.filters(), j, j, kg);
            String all = ctx.scratchFloats("batch_columns_t", j * kg, 0);
            String dzs = ctx.scratchFloats("batch_grad", op.filters() * j, 0);
            b.addStatement("final float[] colT = $L", all)
                    .addStatement("final float[] dzs = $L", dzs)
                    .beginControlFlow("for (int s = 0; s < n; s++)");
            Im2col.unfoldTransposedFlat(b, g, "x", "s * " + g.inSize(), "colT", "s * " + j * kg);
            b.beginControlFlow("for (int f = 0; f < $L; f++)", op.filters())
                    .addStatement("System.arraycopy(dz, s * $L + f * $L, dzs, f * n * $L + s * $L, $L)", outSize, j, j, j, j)
                    .endControlFlow()
                    .endControlFlow()
                    .addStatement("$L.multiply($L, $L, n * $L, dzs, 0, n * $L, 1, colT, 0, $L, 1, dw, 0, $L, true)",
                            ctx.gemm(), op.filters(), kg, j, j, kg, kg);
        } else if (op.groups() == 1 && kg < op.filters()) {
            // dW += dZ Col^T per sample (short weight rows: Col^T read with strides)
            b.add("// dW [$L][$L] += dZ [$L][$L] Col^T [$L][$L] per sample\n", op.filters(), kg, op.filters(), j, j, kg)
                    .addStatement("final float[] col = $L", col)
                    .beginControlFlow("for (int s = 0; s < n; s++)");
            Im2col.unfoldFlat(b, g, "x", "s * " + g.inSize(), "col", j, "0");
            b.addStatement("$L.multiply($L, $L, $L, dz, s * $L, $L, 1, col, 0, 1, $L, dw, 0, $L, true)",
                    ctx.gemm(), op.filters(), kg, j, outSize, j, j, kg)
                    .endControlFlow();
        } else if (op.groups() == 1) {
            // dW^T += Col dZ^T per chunk of samples side by side (Col [K][S J] unfolded by rows, dZ copied
            // to [F][S J] and read transposed), into a [K][F] buffer added to dW once per batch
            int chunk = chunk(j);
            int len = chunk * j;
            String dwT = ctx.scratchFloats("weight_grad_t", 0, kg * op.filters());
            b.add("// dW^T [$L][$L] += Col [$L][p * $L] dZ^T [p * $L][$L] per $L samples, added to dW after the batch\n", kg,
                            op.filters(), kg, j, j, op.filters(), chunk)
                    .addStatement("final float[] col = $L", ctx.scratchFloats("chunk_columns", 0, g.k() * len))
                    .addStatement("final float[] dzs = $L", ctx.scratchFloats("chunk_grad", 0, op.filters() * len))
                    .addStatement("final float[] dwT = $L", dwT)
                    .addStatement("$T.fill(dwT, 0f)", java.util.Arrays.class)
                    .beginControlFlow("for (int s0 = 0; s0 < n; s0 += $L)", chunk)
                    .addStatement("int p = Math.min($L, n - s0)", chunk)
                    .beginControlFlow("for (int q = 0; q < p; q++)");
            Im2col.unfoldFlat(b, g, "x", "(s0 + q) * " + g.inSize(), "col", len, "q * " + j);
            b.beginControlFlow("for (int f = 0; f < $L; f++)", op.filters())
                    .addStatement("System.arraycopy(dz, (s0 + q) * $L + f * $L, dzs, f * $L + q * $L, $L)", outSize, j, len, j, j)
                    .endControlFlow()
                    .endControlFlow()
                    .addStatement("$L.multiply($L, $L, p * $L, col, 0, $L, 1, dzs, 0, 1, $L, dwT, 0, $L, true)",
                            ctx.gemm(), kg, op.filters(), j, len, len, op.filters())
                    .endControlFlow()
                    .add("// transposed in blocks of 16 rows of dW^T, each read along its cache lines\n")
                    .beginControlFlow("for (int k0 = 0; k0 < $L; k0 += 16)", kg)
                    .addStatement("int k1 = Math.min($L, k0 + 16)", kg)
                    .beginControlFlow("for (int f = 0; f < $L; f++)", op.filters())
                    .beginControlFlow("for (int k = k0; k < k1; k++)")
                    .addStatement("dw[f * $L + k] += dwT[k * $L + f]", kg, op.filters())
                    .endControlFlow()
                    .endControlFlow()
                    .endControlFlow();
        } else {
            // dW_g += dZ_g Col_g^T, per sample and group, Col^T unfolded row-major: B(p = j, c = kl) = colT[(gr * J + j) * kg + kl]
            b.add("// dW_g [$L][$L] += dZ_g [$L][$L] Col_g^T [$L][$L] per sample and group\n", fpg, kg, fpg, j, j, kg)
                    .addStatement("final float[] colT = $L", col)
                    .beginControlFlow("for (int s = 0; s < n; s++)");
            Im2col.unfoldTransposedFlat(b, g, "x", "s * " + g.inSize(), "colT", "0");
            openGroups(b);
            b.addStatement("$L.multiply($L, $L, $L, dz, s * $L + gr * $L, $L, 1, colT, gr * $L, $L, 1, dw, gr * $L, $L, true)",
                    ctx.gemm(), fpg, kg, j, outSize, fpg * j, j, j * kg, kg, fpg * kg, kg);
            closeGroups(b);
            b.endControlFlow();
        }
        ctx.addBackward(ctx.method("backward_").addCode(b.build()).build());
        if (ctx.inGrad(0) != null) {
            // dCol_g = W_g^T dZ_g: A(i = kl, p = f) = w[(gr * fpg + f) * kg + kl]
            CodeBlock.Builder d = CodeBlock.builder()
                    .addStatement("final float[] dz = $L", ctx.outGrad())
                    .addStatement("final float[] w = $L", ctx.param("weight"))
                    .addStatement("final float[] gx = $L", ctx.inGrad(0));
            if (TrainWinograd.chosen(g)) {
                TrainWinograd.inputGradient(d, g, ctx.gemm(), "w", "dz", "gx");
                ctx.addBackward(ctx.method("backward_input_").addCode(d.build()).build());
                return;
            }
            boolean shared = op.groups() == 1;
            if (fewPositions(g) || !wideFold(g) && !shared) {
                d.addStatement("final float[] dcol = $L", col);
            }
            if (fewPositions(g)) {
                // dCol^T = dZ^T W: few rows (positions), long weight rows; W packed once per batch
                d.add("// dCol^T [$L][$L] = dZ^T [$L][$L] W [$L][$L] per sample, W packed once for the batch\n", j, kg, j,
                                op.filters(), op.filters(), kg)
                        .addStatement("$L.setB($L, $L, w, 0, $L, 1)", ctx.gemm(), op.filters(), kg, kg)
                        .beginControlFlow("for (int s = 0; s < n; s++)")
                        .addStatement("$L.multiplyByB($L, dz, s * $L, 1, $L, dcol, 0, $L, false)", ctx.gemm(), j, outSize, j, kg);
                Im2col.foldTransposedFlat(d, g, "dcol", "gx", "s * " + g.inSize());
                d.endControlFlow();
                ctx.addBackward(ctx.method("backward_input_").addCode(d.build()).build());
                return;
            }
            if (wideFold(g)) {
                inputGradWide(d, ctx, g);
                ctx.addBackward(ctx.method("backward_input_").addCode(d.build()).build());
                return;
            }
            if (shared) {
                inputGradChunks(d, ctx, g);
                ctx.addBackward(ctx.method("backward_input_").addCode(d.build()).build());
                return;
            }
            d.add("// dCol_g [$L][$L] = W_g^T [$L][$L] dZ_g [$L][$L] per sample and group, then folded into the input gradient\n",
                    kg, j, kg, fpg, fpg, j);
            d.beginControlFlow("for (int s = 0; s < n; s++)");
            openGroups(d);
            d.addStatement("$L.multiply($L, $L, $L, w, gr * $L, 1, $L, dz, s * $L + gr * $L, $L, 1, dcol, gr * $L, $L, false)",
                    ctx.gemm(), kg, j, fpg, fpg * kg, kg, outSize, fpg * j, j, kg * j, j);
            closeGroups(d);
            Im2col.foldFlat(d, g, "dcol", j, "0", "gx", "s * " + g.inSize());
            d.endControlFlow();
            ctx.addBackward(ctx.method("backward_input_").addCode(d.build()).build());
        }
    }

    /**
     * {@code dCol = W^T dZ} for {@link #chunk} samples at once (d z copied side by side into
     * {@code [F][S J]}, the product's columns), each sample's part then folded into its input gradient.
     */
    private void inputGradChunks(CodeBlock.Builder d, RuleContext ctx, ConvGeometry g) {
        int j = g.j();
        int kg = g.kg();
        int f = op.filters();
        int chunk = chunk(j);
        int len = chunk * j;
        d.add("// dCol [$L][p * $L] = W^T [$L][$L] dZ [$L][p * $L] per $L samples, then folded into the input gradient\n", kg, j,
                        kg, f, f, j, chunk)
                .addStatement("final float[] dcol = $L", ctx.scratchFloats("chunk_columns", 0, g.k() * len))
                .addStatement("final float[] dzs = $L", ctx.scratchFloats("chunk_grad", 0, f * len))
                .addStatement("$L.setA($L, $L, w, 0, 1, $L)", ctx.gemm(), kg, f, kg)
                .beginControlFlow("for (int s0 = 0; s0 < n; s0 += $L)", chunk)
                .addStatement("int p = Math.min($L, n - s0)", chunk)
                .beginControlFlow("for (int q = 0; q < p; q++)")
                .beginControlFlow("for (int f = 0; f < $L; f++)", f)
                .addStatement("System.arraycopy(dz, (s0 + q) * $L + f * $L, dzs, f * $L + q * $L, $L)", ctx.out().size(), j, len,
                        j, j)
                .endControlFlow()
                .endControlFlow()
                .addStatement("$L.multiplyByA(p * $L, dzs, 0, $L, 1, dcol, 0, $L, false)", ctx.gemm(), j, len, len)
                .beginControlFlow("for (int q = 0; q < p; q++)");
        Im2col.foldFlat(d, g, "dcol", len, "q * " + j, "gx", "(s0 + q) * " + g.inSize());
        d.endControlFlow().endControlFlow();
    }

    /**
     * Stride 1, no padding, one group: the input gradient can be folded by whole kernel rows when
     * the columns are laid out with the input's width ({@link #inputGradWide}).
     */
    private boolean wideFold(ConvGeometry g) {
        return op.groups() == 1 && g.sh() == 1 && g.sw() == 1 && g.padTop() == 0 && g.padLeft() == 0 && g.fullyInside()
                && g.outW() < g.inW();
    }

    /**
     * {@code dCol = W^T dZ} with positions numbered {@code oy * inW + ox} (the input's row width;
     * the columns {@code ox >= outW} of d z are zero, so theirs in d col are too): each kernel index's
     * row then adds to the input gradient as one run, {@code dx[c][ky * dh + ..][kx * dw + ..]}.
     */
    private void inputGradWide(CodeBlock.Builder d, RuleContext ctx, ConvGeometry g) {
        int w = g.inW();
        int jw = (g.outH() - 1) * w + g.outW();
        int kg = g.kg();
        int f = op.filters();
        String dzw = ctx.scratchFloats("wide_grad", 0, f * jw);
        String dcol = ctx.scratchFloats("wide_columns", 0, kg * jw);
        d.add("// dCol [$L][$L] = W^T [$L][$L] dZ [$L][$L], positions numbered oy * $L + ox (columns ox >= $L stay zero)\n",
                kg, jw, kg, f, f, jw, w, g.outW())
                .addStatement("final float[] dzw = $L", dzw)
                .addStatement("final float[] dcolw = $L", dcol)
                .addStatement("$L.setA($L, $L, w, 0, 1, $L)", ctx.gemm(), kg, f, kg)
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .beginControlFlow("for (int f = 0; f < $L; f++)", f)
                .beginControlFlow("for (int oy = 0; oy < $L; oy++)", g.outH())
                .addStatement("System.arraycopy(dz, s * $L + f * $L + oy * $L, dzw, f * $L + oy * $L, $L)", ctx.out().size(),
                        g.j(), g.outW(), jw, w, g.outW())
                .endControlFlow()
                .endControlFlow()
                .addStatement("$L.multiplyByA($L, dzw, 0, $L, 1, dcolw, 0, $L, false)", ctx.gemm(), jw, jw, jw)
                .beginControlFlow("for (int c = 0; c < $L; c++)", g.inC())
                .beginControlFlow("for (int ky = 0; ky < $L; ky++)", g.kh())
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", g.kw())
                .addStatement("$T.addInto(dcolw, ((c * $L + ky) * $L + kx) * $L, gx, s * $L + c * $L + ky * $L + kx * $L, $L)",
                        com.palantir.javapoet.ClassName.get("dev.striate.train", "Kernels"), g.kh(), g.kw(), jw, g.inSize(),
                        g.inH() * w, g.dh() * w, g.dw(), jw)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
    }
}
