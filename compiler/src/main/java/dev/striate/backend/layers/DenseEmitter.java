package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Dense;
import dev.striate.text.Lit;

/**
 * Dense layer fused with bias and activation. The PyTorch weight {@code [units, in]} is stored
 * transposed, {@code [in][units]}, so the inner loop is an axpy over the outputs. Four weight
 * rows at a time are copied to scratch rows so that the loop indexes every array alike
 * ({@code acc[j] = acc[j] + x0 * wr0[j] + ...}, the form C2 vectorizes; the sums keep the order
 * of one input at a time).
 */
final class DenseEmitter implements LayerEmitter {
    private final Dense op;

    DenseEmitter(Dense op) {
        this.op = op;
    }

    @Override
    public LayerCode emit(LayerContext ctx) {
        int n = ctx.in().size();
        int units = op.units();
        float[] w = ctx.weight("weight");
        float[] t = new float[w.length];
        for (int j = 0; j < units; j++) {
            for (int i = 0; i < n; i++) {
                t[i * units + j] = w[j * n + i];
            }
        }
        String wAt = ctx.addWeights("weight", t);
        CodeBlock.Builder b = CodeBlock.builder();
        ctx.rows().request(5, units);
        String weightRow = ctx.rows().name(ctx, "weight_row", 1);
        b.addStatement("float[] acc = $L[$L]", ScratchRows.NAME, ScratchRows.ACC);
        if (op.bias()) {
            b.addStatement("System.arraycopy(w, $L, acc, 0, $L)", ctx.addWeights("bias", ctx.weight("bias")), units);
        } else {
            b.addStatement("java.util.Arrays.fill(acc, 0, $L, 0f)", units);
        }
        int quads = n / 4 * 4;
        if (quads > 0) {
            b.beginControlFlow("for (int i = 0; i < $L; i += 4)", quads);
            for (int j = 0; j < 4; j++) {
                b.addStatement("float[] wr$L = $L", j, ScratchRows.at(weightRow, j, null))
                        .addStatement("System.arraycopy(w, $L, wr$L, 0, $L)",
                                Lit.add((j == 0 ? "i" : "(i + " + j + ")") + " * " + units, wAt), j, units);
            }
            b.addStatement("float x0 = in[i]")
                    .addStatement("float x1 = in[i + 1]")
                    .addStatement("float x2 = in[i + 2]")
                    .addStatement("float x3 = in[i + 3]")
                    .beginControlFlow("for (int j = 0; j < $L; j++)", units)
                    .addStatement("acc[j] = acc[j] + x0 * wr0[j] + x1 * wr1[j] + x2 * wr2[j] + x3 * wr3[j]")
                    .endControlFlow()
                    .endControlFlow();
        }
        if (quads < n) {
            b.addStatement("float[] wr = $L", ScratchRows.at(weightRow, 0, null))
                    .beginControlFlow("for (int i = $L; i < $L; i++)", quads, n)
                    .addStatement("System.arraycopy(w, $L, wr, 0, $L)", Lit.add("i * " + units, wAt), units)
                    .addStatement("float x = in[i]")
                    .beginControlFlow("for (int j = 0; j < $L; j++)", units)
                    .addStatement("acc[j] += x * wr[j]")
                    .endControlFlow()
                    .endControlFlow();
        }
        ActivationCode.applyInPlace(b, op.activation(), "acc", "0", units);
        b.addStatement("System.arraycopy(acc, 0, out, 0, $L)", units);
        return new LayerCode(ctx.methodWithRows(true).addCode(b.build()).build(), true,
                ActivationCode.softmaxFor(ctx, op.activation()));
    }
}
