package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Maxout;

/** Maxout: output channel {@code j} is the element-wise max of input channels {@code j*pieces ...}. */
final class MaxoutEmitter implements LayerEmitter {
    private final Maxout op;

    MaxoutEmitter(Maxout op) {
        this.op = op;
    }

    @Override
    public LayerCode emit(LayerContext ctx) {
        int plane = ctx.in().plane();
        int pieces = op.pieces();
        CodeBlock.Builder b = CodeBlock.builder()
                .beginControlFlow("for (int j = 0; j < $L; j++)", ctx.out().channels())
                .addStatement("int o = j * $L", plane)
                .addStatement("int i0 = j * $L", pieces * plane)
                .addStatement("System.arraycopy(in, i0, out, o, $L)", plane)
                .beginControlFlow("for (int p = 1; p < $L; p++)", pieces)
                .addStatement("int ip = i0 + p * $L", plane)
                .beginControlFlow("for (int i = 0; i < $L; i++)", plane)
                .addStatement("out[o + i] = Math.max(out[o + i], in[ip + i])")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
        return LayerCode.of(ctx.method(false).addCode(b.build()).build(), false);
    }
}
