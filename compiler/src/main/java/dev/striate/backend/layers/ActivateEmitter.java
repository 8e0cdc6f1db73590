package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Activate;
import dev.striate.ir.Activation;

/**
 * A standalone activation. Element-wise functions are one loop; softmax copies its input and
 * normalizes the copy in place with a separate step that {@code classify} may skip.
 */
final class ActivateEmitter implements LayerEmitter {
    private final Activate op;

    ActivateEmitter(Activate op) {
        this.op = op;
    }

    @Override
    public LayerCode emit(LayerContext ctx) {
        int n = ctx.in().size();
        Activation a = op.activation();
        CodeBlock.Builder b = CodeBlock.builder();
        String e = ActivationCode.expression(a, "v");
        if (a instanceof Activation.Softmax || e == null) {
            b.addStatement("System.arraycopy(in, 0, out, 0, $L)", n);
        } else {
            b.beginControlFlow("for (int i = 0; i < $L; i++)", n)
                    .addStatement("float v = in[i]")
                    .addStatement("out[i] = $L", e)
                    .endControlFlow();
        }
        return new LayerCode(ctx.method(false).addCode(b.build()).build(), false, ActivationCode.softmaxFor(ctx, a));
    }
}
