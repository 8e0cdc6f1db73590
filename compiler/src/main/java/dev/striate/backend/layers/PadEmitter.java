package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Pad;
import dev.striate.ir.Padding;
import dev.striate.ir.Shape;
import dev.striate.text.Lit;

/**
 * Zero padding: per channel, the border rows and columns are written with zeros (the output
 * buffer may be reused scratch) and each input row is copied into the interior.
 */
final class PadEmitter implements LayerEmitter {
    private final Pad op;

    PadEmitter(Pad op) {
        this.op = op;
    }

    @Override
    public LayerCode emit(LayerContext ctx) {
        Shape in = ctx.in();
        Shape out = ctx.out();
        Padding.Explicit p = op.padding();
        int outW = out.width();
        int outPlane = out.height() * outW;
        CodeBlock.Builder b = CodeBlock.builder()
                .beginControlFlow("for (int c = 0; c < $L; c++)", in.channels())
                .addStatement("int o = c * $L", outPlane);
        zeros(b, "o", 0, p.top() * outW);
        b.beginControlFlow("for (int y = 0; y < $L; y++)", in.height())
                .addStatement("int d = o + $L", rowStart("y", p.top(), outW));
        zeros(b, "d", 0, p.left());
        b.addStatement("System.arraycopy(in, (c * $L + y) * $L, out, $L, $L)", in.height(), in.width(),
                Lit.plus("d", p.left()), in.width());
        zeros(b, "d", p.left() + in.width(), outW);
        b.endControlFlow();
        zeros(b, "o", (p.top() + in.height()) * outW, outPlane);
        b.endControlFlow();
        return LayerCode.of(ctx.method(false).addCode(b.build()).build(), false);
    }

    private static String rowStart(String y, int top, int outW) {
        return top == 0 ? y + " * " + outW : "(" + y + " + " + top + ") * " + outW;
    }

    /** {@code out[base + i] = 0} for {@code from <= i < to}; nothing when the range is empty. */
    private static void zeros(CodeBlock.Builder b, String base, int from, int to) {
        if (from >= to) {
            return;
        }
        b.beginControlFlow("for (int i = $L; i < $L; i++)", from, to)
                .addStatement("out[$L + i] = 0f", base)
                .endControlFlow();
    }
}
