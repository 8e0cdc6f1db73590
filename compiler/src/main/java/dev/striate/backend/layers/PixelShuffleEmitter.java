package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.PixelShuffle;
import dev.striate.ir.Shape;

/** PixelShuffle: {@code out[c, y*r + i, x*r + j] = in[c*r*r + i*r + j, y, x]}. */
final class PixelShuffleEmitter implements LayerEmitter {
    private final PixelShuffle op;

    PixelShuffleEmitter(PixelShuffle op) {
        this.op = op;
    }

    @Override
    public LayerCode emit(LayerContext ctx) {
        Shape in = ctx.in();
        Shape out = ctx.out();
        int r = op.factor();
        int plane = in.height() * in.width();
        CodeBlock b = CodeBlock.builder()
                .beginControlFlow("for (int ic = 0; ic < $L; ic++)", in.channels())
                .addStatement("int c = ic / $L", r * r)
                .addStatement("int i = ic / $L % $L", r, r)
                .addStatement("int j = ic % $L", r)
                .addStatement("int src = ic * $L", plane)
                .beginControlFlow("for (int y = 0; y < $L; y++)", in.height())
                .addStatement("int dst = c * $L + (y * $L + i) * $L + j", out.height() * out.width(), r, out.width())
                .addStatement("int s = src + y * $L", in.width())
                .beginControlFlow("for (int x = 0; x < $L; x++)", in.width())
                .addStatement("out[dst + x * $L] = in[s + x]", r)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .build();
        return LayerCode.of(ctx.method(false).addCode(b).build(), false);
    }
}
