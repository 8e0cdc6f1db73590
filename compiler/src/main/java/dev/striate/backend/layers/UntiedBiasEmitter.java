package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.text.Lit;

/** Untied (per-position) bias: {@code out[i] = in[i] + bias[i]}, the bias stored in the blob in the input's layout. */
final class UntiedBiasEmitter implements LayerEmitter {
    @Override
    public LayerCode emit(LayerContext ctx) {
        String at = ctx.addWeights("bias", ctx.weight("bias"));
        CodeBlock b = CodeBlock.builder()
                .beginControlFlow("for (int i = 0; i < $L; i++)", ctx.in().size())
                .addStatement("out[i] = in[i] + w[$L]", Lit.add("i", at))
                .endControlFlow()
                .build();
        return LayerCode.of(ctx.method(true).addCode(b).build(), true);
    }
}
