package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Pool2d;

/** Global max pooling (gradient to the first maximum of each plane) and global average pooling (spread evenly). */
final class GlobalPoolGrad implements GradRule {
    private final GlobalPool op;

    GlobalPoolGrad(GlobalPool op) {
        this.op = op;
    }

    private boolean max() {
        return op.poolKind() == Pool2d.Kind.MAX;
    }

    @Override
    public void forward(RuleContext ctx) {
        int plane = ctx.in().plane();
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final float[] x = $L", ctx.inAct(0))
                .addStatement("final float[] y = $L", ctx.outAct());
        if (max()) {
            b.addStatement("final int[] arg = $L", ctx.scratchInts("argmax", ctx.out().size()));
        }
        b.beginControlFlow("for (int s = 0; s < n; s++)")
                .beginControlFlow("for (int c = 0; c < $L; c++)", ctx.out().channels())
                .addStatement("int xo = s * $L + c * $L", ctx.in().size(), plane)
                .addStatement("int yi = s * $L + c", ctx.out().size());
        if (max()) {
            b.addStatement("float best = x[xo]")
                    .addStatement("int at = xo")
                    .beginControlFlow("for (int i = xo + 1; i < xo + $L; i++)", plane)
                    .beginControlFlow("if (x[i] > best)")
                    .addStatement("best = x[i]")
                    .addStatement("at = i")
                    .endControlFlow()
                    .endControlFlow()
                    .addStatement("y[yi] = best")
                    .addStatement("arg[yi] = at");
        } else {
            b.addStatement("float sum = 0f")
                    .beginControlFlow("for (int i = 0; i < $L; i++)", plane)
                    .addStatement("sum += x[xo + i]")
                    .endControlFlow()
                    .addStatement("y[yi] = sum / $L", plane + "f");
        }
        b.endControlFlow().endControlFlow();
        ctx.addForward(ctx.method("forward_").addCode(b.build()).build());
    }

    @Override
    public void backward(RuleContext ctx) {
        int plane = ctx.in().plane();
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final float[] dx = $L", ctx.inGrad(0))
                .addStatement("final float[] dy = $L", ctx.outGrad());
        if (max()) {
            b.addStatement("final int[] arg = $L", ctx.scratchInts("argmax", ctx.out().size()))
                    .beginControlFlow("for (int i = 0, e = n * $L; i < e; i++)", ctx.out().size())
                    .addStatement("dx[arg[i]] += dy[i]")
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
