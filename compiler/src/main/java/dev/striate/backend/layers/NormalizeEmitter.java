package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Normalize;
import dev.striate.text.Lit;

/** Input normalization {@code (x - mean[c]) / std[c]}; the per-channel values go into the blob. */
final class NormalizeEmitter implements LayerEmitter {
    private final Normalize op;

    NormalizeEmitter(Normalize op) {
        this.op = op;
    }

    @Override
    public LayerCode emit(LayerContext ctx) {
        int channels = ctx.in().channels();
        int plane = ctx.in().plane();
        float[] stats = new float[2 * channels];
        for (int c = 0; c < channels; c++) {
            stats[2 * c] = op.meanOf(c);
            stats[2 * c + 1] = op.stdOf(c);
        }
        String at = ctx.addWeights("mean_std", stats);
        CodeBlock.Builder b = CodeBlock.builder()
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .addStatement("float mean = w[$L]", Lit.add("2 * c", at))
                .addStatement("float std = w[$L + 1]", Lit.add("2 * c", at))
                .addStatement("int o = c * $L", plane)
                .beginControlFlow("for (int i = 0; i < $L; i++)", plane)
                .addStatement("out[o + i] = (in[o + i] - mean) / std")
                .endControlFlow()
                .endControlFlow();
        return LayerCode.of(ctx.method(true).addCode(b.build()).build(), true);
    }
}
