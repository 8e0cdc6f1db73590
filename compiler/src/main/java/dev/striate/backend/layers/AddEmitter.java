package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;

/** Element-wise sum of two or more inputs of one shape. */
final class AddEmitter implements LayerEmitter {

    @Override
    public LayerCode emit(LayerContext ctx) {
        StringBuilder sum = new StringBuilder("in0[i]");
        for (int k = 1; k < ctx.inputShapes().size(); k++) {
            sum.append(" + in").append(k).append("[i]");
        }
        CodeBlock b = CodeBlock.builder()
                .beginControlFlow("for (int i = 0; i < $L; i++)", ctx.out().size())
                .addStatement("out[i] = $L", sum)
                .endControlFlow()
                .build();
        return LayerCode.of(ctx.method(false).addCode(b).build(), false);
    }
}
