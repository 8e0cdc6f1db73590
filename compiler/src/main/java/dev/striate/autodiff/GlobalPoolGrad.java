package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Pool2d;

/**
 * Global max pooling (gradient to the first cell of each plane equal to its pooled output: the first
 * maximum) and global average pooling (spread evenly); the forward pass is the inference class's code.
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
    public void backward(RuleContext ctx) {
        int plane = ctx.in().plane();
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final float[] dx = $L", ctx.inGrad(0))
                .addStatement("final float[] dy = $L", ctx.outGrad());
        if (max()) {
            b.addStatement("final float[] x = $L", ctx.inAct(0))
                    .addStatement("final float[] y = $L", ctx.outAct())
                    .beginControlFlow("for (int s = 0; s < n; s++)")
                    .beginControlFlow("for (int c = 0; c < $L; c++)", ctx.out().channels())
                    .addStatement("int xo = s * $L + c * $L", ctx.in().size(), plane)
                    .addStatement("int yi = s * $L + c", ctx.out().size())
                    .addStatement("float best = y[yi]")
                    .beginControlFlow("for (int i = xo; i < xo + $L; i++)", plane)
                    .beginControlFlow("if (x[i] == best || x[i] != x[i] && best != best)")
                    .addStatement("dx[i] += dy[yi]")
                    .addStatement("break")
                    .endControlFlow()
                    .endControlFlow()
                    .endControlFlow()
                    .endControlFlow();
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
