package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.striate.autodiff.Im2col;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvGeometry;
import dev.striate.ir.Op;
import dev.striate.text.JavaText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The batched form of a convolution (any stride, padding, dilation, groups) with bias and
 * activation: the samples' windows unfolded side by side ({@link Im2col#unfoldFlat},
 * {@code Col [K][p * J]}), the output rows preset to the bias, one {@link MatrixProduct} per group
 * {@code Z_g = W_g Col_g} over {@link #pack} samples at once, the output copied to the samples'
 * CHW planes, then the class's activation ({@link ActivationCode}) on those samples while they
 * are in cache. The op is defined here; only
 * the product depends on where the code runs (the trainer's forward pass passes the runtime's
 * {@code Gemm}, with one weight matrix packed once per call). A product may compute a convolution itself
 * ({@link MatrixProduct#convolves}: the trainer's 3x3 stride-1 layers with many channels run as the runtime's
 * Winograd F(2x2,3x3)); the bias and the activation stay this form's.
 */
final class ConvBatch {
    /** At most this many columns in a product of several samples side by side ({@link #pack}). */
    static final int PACKED_COLUMNS = 256;

    private ConvBatch() {
    }

    /**
     * Samples unfolded side by side in one product: at most 8 and {@link #PACKED_COLUMNS} columns,
     * the count whose columns fill whole tiles of 32 best (the trainer's kernel's widest tile: two
     * vectors of 16 floats; a multiple of narrower ones), the fewest among equals. E.g. 7 samples of
     * a 3x3 map (63 of 64 columns), 5 of a 7x7 map (245 of 256), 1 of 11x11 (121 of 128).
     */
    static int pack(int j) {
        int best = 1;
        double fill = 0;
        for (int p = 1; p <= 8 && (p == 1 || p * j <= PACKED_COLUMNS); p++) {
            int cols = p * j;
            double f = cols / (double) ((cols + 31) / 32 * 32);
            if (f > fill) {
                fill = f;
                best = p;
            }
        }
        return best;
    }

    /** The batched method of {@code op} (named by {@code ctx}), its products written by {@code product}. */
    static BatchCode emit(LayerContext ctx, Conv2d op, MatrixProduct product) {
        ConvGeometry g = ConvGeometry.of(op, ctx.in(), ctx.out());
        if (product.convolves(g)) {
            return emitConvolved(ctx, op, g, product);
        }
        int j = g.j();
        int kg = g.kg();
        int f = op.filters();
        int fpg = f / op.groups();
        int outSize = ctx.out().size();
        int pack = pack(j);
        int len = pack * j;
        boolean shared = op.groups() == 1;
        List<String> params = new ArrayList<>();
        MethodSpec.Builder m = header(ctx, op, op.bias(), params).addParameter(float[].class, "col");
        List<Integer> scratch = new ArrayList<>(List.of(g.k() * len));
        if (pack > 1) {
            m.addParameter(float[].class, "zp");
            scratch.add(f * len);
        }
        m.addParameters(product.parameters());
        CodeBlock.Builder b = CodeBlock.builder();
        if (shared) {
            // one weight matrix for every sample: prepared (packed) once per call
            b.add("// Z = W Col per sample, W [$L][$L] prepared once for the batch\n", f, kg);
            product.prepareShared(b, f, kg, "w");
        } else {
            b.add("// Z_g = W_g Col_g per sample and group of $L filters, W_g [$L][$L]\n", fpg, fpg, kg);
        }
        if (pack == 1) {
            b.beginControlFlow("for (int s = 0; s < n; s++)")
                    .addStatement("int zo = s * $L", outSize);
            Im2col.unfoldFlat(b, g, "x", "s * " + g.inSize(), "col", j, "0");
            if (op.bias()) {
                b.beginControlFlow("for (int f = 0; f < $L; f++)", f)
                        .addStatement("$T.fill(z, zo + f * $L, zo + (f + 1) * $L, bias[f])", Arrays.class, j, j)
                        .endControlFlow();
            }
            if (shared) {
                product.multiplyShared(b, String.valueOf(j), "col", "0", j, "z", "zo", j, op.bias());
            } else {
                openGroups(b, op);
                product.multiply(b, fpg, String.valueOf(j), kg, "w", "gr * " + fpg * kg, "col", "gr * " + kg * j, j, "z",
                        "zo + gr * " + fpg * j, j, op.bias());
                closeGroups(b, op);
            }
            ActivationCode.applyInPlace(b, op.activation(), "z", "zo", outSize);
            b.endControlFlow();
        } else {
            // several samples side by side: Z for p samples in a [F][p * J] buffer, then copied out
            b.beginControlFlow("for (int s0 = 0; s0 < n; s0 += $L)", pack)
                    .addStatement("int p = Math.min($L, n - s0)", pack)
                    .beginControlFlow("for (int q = 0; q < p; q++)");
            Im2col.unfoldFlat(b, g, "x", "(s0 + q) * " + g.inSize(), "col", len, "q * " + j);
            b.endControlFlow();
            if (op.bias()) {
                b.beginControlFlow("for (int f = 0; f < $L; f++)", f)
                        .addStatement("$T.fill(zp, f * $L, f * $L + p * $L, bias[f])", Arrays.class, len, len, j)
                        .endControlFlow();
            }
            String cols = "p * " + j;
            if (shared) {
                product.multiplyShared(b, cols, "col", "0", len, "zp", "0", len, op.bias());
            } else {
                openGroups(b, op);
                product.multiply(b, fpg, cols, kg, "w", "gr * " + fpg * kg, "col", "gr * " + kg * len, len, "zp",
                        "gr * " + fpg * len, len, op.bias());
                closeGroups(b, op);
            }
            b.beginControlFlow("for (int q = 0; q < p; q++)")
                    .beginControlFlow("for (int f = 0; f < $L; f++)", f)
                    .addStatement("System.arraycopy(zp, f * $L + q * $L, z, (s0 + q) * $L + f * $L, $L)", len, j, outSize,
                            j, j)
                    .endControlFlow()
                    .endControlFlow();
            ActivationCode.applyInPlace(b, op.activation(), "z", "s0 * " + outSize, "p * " + outSize);
            b.endControlFlow();
        }
        return new BatchCode(m.addCode(b.build()).build(), params, scratch, ActivationCode.softmaxFor(ctx, op.activation()));
    }

    /**
     * The batched form when the product computes the convolution itself ({@link MatrixProduct#convolves}: the
     * trainer's Winograd): its call onto the output, then the class's activation on the batch.
     */
    private static BatchCode emitConvolved(LayerContext ctx, Conv2d op, ConvGeometry g, MatrixProduct product) {
        List<String> params = new ArrayList<>();
        MethodSpec.Builder m = header(ctx, op, op.bias(), params).addParameters(product.parameters());
        CodeBlock.Builder b = CodeBlock.builder();
        product.convolve(b, g, "w", op.bias() ? "bias" : null, "x", "z");
        ActivationCode.applyInPlace(b, op.activation(), "z", "0", "n * " + ctx.out().size());
        return new BatchCode(m.addCode(b.build()).build(), params, List.of(),
                ActivationCode.softmaxFor(ctx, op.activation()));
    }

    /**
     * The batched method's name, javadoc and first parameters (a conv's or a dense layer's): the weights, the bias
     * when {@code bias} (both added to {@code params}, the parameters the caller passes), the input, the output and
     * {@code n}.
     */
    static MethodSpec.Builder header(LayerContext ctx, Op op, boolean bias, List<String> params) {
        params.add("weight");
        MethodSpec.Builder m = MethodSpec.methodBuilder(ctx.methodName())
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("Layer {@code $L}: $L($L), $L, for {@code n} samples: the weights in PyTorch's layout.\n",
                        JavaText.comment(ctx.node().name()), op.kind(), op.describe(), ctx.shapes())
                .addParameter(float[].class, "w");
        if (bias) {
            params.add("bias");
            m.addParameter(float[].class, "bias");
        }
        return m.addParameter(float[].class, "x").addParameter(float[].class, "z").addParameter(int.class, "n");
    }

    /** Opens a loop over groups when there are several ({@code gr} is 0 otherwise). */
    private static void openGroups(CodeBlock.Builder b, Conv2d op) {
        if (op.groups() > 1) {
            b.beginControlFlow("for (int gr = 0; gr < $L; gr++)", op.groups());
        }
    }

    private static void closeGroups(CodeBlock.Builder b, Conv2d op) {
        if (op.groups() > 1) {
            b.endControlFlow();
        }
    }
}
