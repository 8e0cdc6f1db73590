package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Dense;

/**
 * Dense layer fused with bias and activation. The PyTorch weight {@code [units, in]} is stored
 * transposed, {@code [in][units]}, so the inner loop is an axpy over the outputs
 * ({@code out[j] += x * w[row + j]}), unit-stride on both arrays.
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
        int wOff = ctx.blob().add(t);
        CodeBlock.Builder b = CodeBlock.builder();
        if (op.bias()) {
            int bOff = ctx.blob().add(ctx.weight("bias"));
            b.addStatement("System.arraycopy(w, $L, out, 0, $L)", bOff, units);
        } else {
            b.addStatement("java.util.Arrays.fill(out, 0, $L, 0f)", units);
        }
        b.beginControlFlow("for (int i = 0; i < $L; i++)", n)
                .addStatement("float x = in[i]")
                .addStatement("int row = $L", Lit.plus("i * " + units, wOff))
                .beginControlFlow("for (int j = 0; j < $L; j++)", units)
                .addStatement("out[j] += x * w[row + j]")
                .endControlFlow()
                .endControlFlow();
        ActivationCode.applyInPlace(b, op.activation(), "out", "0", units);
        return new LayerCode(ctx.method(true).addCode(b.build()).build(), true,
                ActivationCode.softmaxFor(ctx, op.activation()));
    }
}
