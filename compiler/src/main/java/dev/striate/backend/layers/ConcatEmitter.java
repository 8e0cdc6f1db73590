package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Shape;

/** Channel concatenation: channel-major tensors are contiguous per input, so one copy each. */
final class ConcatEmitter implements LayerEmitter {

    @Override
    public LayerCode emit(LayerContext ctx) {
        CodeBlock.Builder b = CodeBlock.builder();
        int at = 0;
        for (int k = 0; k < ctx.inputShapes().size(); k++) {
            Shape s = ctx.inputShapes().get(k);
            b.addStatement("System.arraycopy(in$L, 0, out, $L, $L)", k, at, s.size());
            at += s.size();
        }
        return LayerCode.of(ctx.method(false).addCode(b.build()).build(), false);
    }
}
