package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.striate.ir.Dense;
import dev.striate.text.Lit;
import java.util.ArrayList;
import java.util.List;

/**
 * Dense layer fused with bias and activation. The PyTorch weight {@code [units, in]} is stored
 * transposed, {@code [in][units]}, so the inner loop is an axpy over the outputs. Four weight
 * rows at a time are copied to scratch rows so that the loop indexes every array alike
 * ({@code acc[j] = acc[j] + x0 * wr0[j] + ...}, the form C2 vectorizes; the sums keep the order
 * of one input at a time).
 *
 * <p>Its batched form ({@link #emitBatch}, which the trainer's forward pass runs) transposes the weights once per
 * batch (in tiles, reading the live parameters: any size trains, where the trainer's blob re-layout stops at 2^23)
 * and computes every sample's sums in the order above, four weight rows at a time for all the samples
 * ({@link MatrixProduct#denseRows}: the runtime's {@code Kernels.dense} in the trainer), so the trainer's
 * outputs are the per-image code's bits ({@code ClassForwardTest}). Run per image, the trainer copied 4 x 64
 * floats of weights into the scratch rows for every 4 inputs of every sample: the Keras MNIST CNN's 576 -> 64
 * layer took 4% of a training step (tools/bench/TrainPhases.java), 0.20 ms per 32 samples, 0.05-0.07 batched.
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

    @Override
    public BatchCode emitBatch(LayerContext ctx, MatrixProduct product) {
        int n = ctx.in().size();
        int units = op.units();
        List<String> params = new ArrayList<>();
        MethodSpec.Builder m = ConvBatch.header(ctx, op, op.bias(), params).addParameter(float[].class, "wt")
                .addParameters(product.parameters());
        // W^T in tiles of 8 inputs x 16 units: 16 weight rows read 8 floats each, 8 rows of W^T written 16 floats each,
        // all cached (row by row, a 2304 x 4096 layer took 80 ms per call: each write another line of W^T)
        CodeBlock.Builder b = CodeBlock.builder()
                .add("// W^T [$L][$L], the layout the per-image code reads\n", n, units)
                .beginControlFlow("for (int i0 = 0; i0 < $L; i0 += 8)", n)
                .addStatement("int i1 = Math.min(i0 + 8, $L)", n)
                .beginControlFlow("for (int j0 = 0; j0 < $L; j0 += 16)", units)
                .addStatement("int j1 = Math.min(j0 + 16, $L)", units)
                .beginControlFlow("for (int i = i0; i < i1; i++)")
                .beginControlFlow("for (int j = j0; j < j1; j++)")
                .addStatement("wt[i * $L + j] = w[j * $L + i]", units, n)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
        if (op.bias()) {
            b.beginControlFlow("for (int s = 0; s < n; s++)")
                    .addStatement("System.arraycopy(bias, 0, z, s * $L, $L)", units, units)
                    .endControlFlow();
        } else {
            b.addStatement("java.util.Arrays.fill(z, 0, n * $L, 0f)", units);
        }
        b.add("// Z [n][$L] += X [n][$L] W^T in the per-image code's order: the same bits\n", units, n);
        product.denseRows(b, "n", units, n, "x", "wt", "z");
        ActivationCode.applyInPlace(b, op.activation(), "z", "0", "n * " + units);
        return new BatchCode(m.addCode(b.build()).build(), params, List.of(n * units),
                ActivationCode.softmaxFor(ctx, op.activation()));
    }
}
