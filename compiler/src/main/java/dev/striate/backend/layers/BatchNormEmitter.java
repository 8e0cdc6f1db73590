package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.BatchNorm;
import dev.striate.text.Lit;

/**
 * Batch normalization with running statistics, folded at generation time into one scale and
 * shift per channel: {@code scale = weight / sqrt(var + eps)}, {@code shift = bias - mean * scale}.
 */
final class BatchNormEmitter implements LayerEmitter {
    private final BatchNorm op;

    BatchNormEmitter(BatchNorm op) {
        this.op = op;
    }

    @Override
    public LayerCode emit(LayerContext ctx) {
        int channels = ctx.in().channels();
        int plane = ctx.in().plane();
        float[] gamma = ctx.weight("weight");
        float[] beta = ctx.weight("bias");
        float[] mean = ctx.weight("running_mean");
        float[] var = ctx.weight("running_var");
        float[] folded = new float[2 * channels];
        for (int c = 0; c < channels; c++) {
            double scale = gamma[c] / Math.sqrt((double) var[c] + op.epsilon());
            folded[2 * c] = (float) scale;
            folded[2 * c + 1] = (float) (beta[c] - mean[c] * scale);
        }
        String at = ctx.addWeights("scale_shift", folded);
        CodeBlock.Builder b = CodeBlock.builder()
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .addStatement("float scale = w[$L]", Lit.add("2 * c", at))
                .addStatement("float shift = w[$L + 1]", Lit.add("2 * c", at));
        if (plane == 1) {
            b.addStatement("out[c] = in[c] * scale + shift");
        } else {
            b.addStatement("int o = c * $L", plane)
                    .beginControlFlow("for (int i = 0; i < $L; i++)", plane)
                    .addStatement("out[o + i] = in[o + i] * scale + shift")
                    .endControlFlow();
        }
        b.endControlFlow();
        return LayerCode.of(ctx.method(true).addCode(b.build()).build(), true);
    }
}
