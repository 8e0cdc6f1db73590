package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Pool2d;

/**
 * Global max pooling (gradient to the first maximum of each plane, or its last NaN, as PyTorch) and
 * global average pooling (spread evenly); the forward pass is the class's code, a max pool's
 * training form recording the argmax.
 */
final class GlobalPoolGrad implements GradRule {
    private final GlobalPool op;

    GlobalPoolGrad(GlobalPool op) {
        this.op = op;
    }

    private boolean max() {
        return op.poolKind() == Pool2d.Kind.MAX;
    }

    @Override
    public String keptArgmax(RuleContext ctx) {
        return max() ? Pool2dGrad.argmax(ctx) : null;
    }

    @Override
    public void backward(RuleContext ctx) {
        int plane = ctx.in().plane();
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final float[] dx = $L", ctx.inGrad(0))
                .addStatement("final float[] dy = $L", ctx.outGrad());
        if (max()) {
            Pool2dGrad.routeToArgmax(b, ctx);
        } else {
            b.beginControlFlow("for (int s = 0; s < n; s++)")
                    .beginControlFlow("for (int c = 0; c < $L; c++)", ctx.out().channels())
                    .addStatement("int xo = s * $L + c * $L", ctx.in().size(), plane)
                    .addStatement("float g = dy[s * $L + c] / $L", ctx.out().size(), plane + "f")
                    .beginControlFlow("for (int i = 0; i < $L; i++)", plane)
                    .addStatement("dx[xo + i] += g")
                    .endControlFlow()
                    .endControlFlow()
                    .endControlFlow();
        }
        ctx.addBackward(ctx.method("backward_").addCode(b.build()).build());
    }
}
