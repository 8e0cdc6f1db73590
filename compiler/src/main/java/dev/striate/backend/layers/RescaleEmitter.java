package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Rescale;
import dev.striate.text.Lit;

/** Input rescaling {@code x * scale + offset} with literal constants. */
final class RescaleEmitter implements LayerEmitter {
    private final Rescale op;

    RescaleEmitter(Rescale op) {
        this.op = op;
    }

    @Override
    public LayerCode emit(LayerContext ctx) {
        String expr = op.offset() == 0f ? "in[i] * " + Lit.f(op.scale())
                : "in[i] * " + Lit.f(op.scale()) + " + " + Lit.f(op.offset());
        CodeBlock b = CodeBlock.builder()
                .beginControlFlow("for (int i = 0; i < $L; i++)", ctx.in().size())
                .addStatement("out[i] = $L", expr)
                .endControlFlow()
                .build();
        return LayerCode.of(ctx.method(false).addCode(b).build(), false);
    }
}
