package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import dev.striate.text.Lit;

/**
 * Global max or average pooling: one value per channel. A max pool's training form
 * ({@link LayerContext#methodWithArgmax}) also writes each plane's argmax into
 * {@link LayerContext#ARGMAX}: the first cell equal to the maximum, or the last NaN (as PyTorch).
 */
final class GlobalPoolEmitter implements LayerEmitter {
    private final GlobalPool op;

    GlobalPoolEmitter(GlobalPool op) {
        this.op = op;
    }

    @Override
    public LayerCode emit(LayerContext ctx) {
        Shape in = ctx.in();
        int plane = in.height() * in.width();
        boolean max = op.poolKind() == Pool2d.Kind.MAX;
        boolean argmax = max && ctx.recordsArgmax();
        CodeBlock.Builder b = CodeBlock.builder()
                .beginControlFlow("for (int c = 0; c < $L; c++)", in.channels())
                .addStatement(argmax ? "int c0 = xo + c * $L" : "int c0 = c * $L", plane)
                .addStatement("float acc = in[c0]")
                .beginControlFlow("for (int i = 1; i < $L; i++)", plane)
                .addStatement(max ? "acc = Math.max(acc, in[c0 + i])" : "acc += in[c0 + i]")
                .endControlFlow();
        if (argmax) {
            // the first cell equal to the maximum, or the last NaN
            b.addStatement("int at = c0")
                    .beginControlFlow("if (acc == acc)")
                    .beginControlFlow("while (in[at] != acc)")
                    .addStatement("at++")
                    .endControlFlow()
                    .nextControlFlow("else")
                    .beginControlFlow("for (int i = c0; i < $L; i++)", Lit.plus("c0", plane))
                    .addStatement("at = in[i] != in[i] ? i : at")
                    .endControlFlow()
                    .endControlFlow()
                    .addStatement("$L[yo + c] = at", LayerContext.ARGMAX)
                    .addStatement("out[yo + c] = acc");
        } else {
            b.add(max ? CodeBlock.of("out[c] = acc;\n") : CodeBlock.of("out[c] = acc / $L;\n", Lit.f(plane)));
        }
        b.endControlFlow();
        return LayerCode.of((max ? ctx.methodWithArgmax(false) : ctx.method(false)).addCode(b.build()).build(), false);
    }
}
