package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Dropout;
import dev.striate.text.Lit;

/**
 * Dropout in training mode: each element is kept with probability {@code 1 - rate} and scaled by
 * {@code 1 / (1 - rate)}. The mask comes from a SplitMix64 hash of (seed, layer, element index), so
 * it depends only on the seed passed to the forward pass; backward multiplies by the same mask.
 */
final class DropoutGrad implements GradRule {
    private final Dropout op;

    DropoutGrad(Dropout op) {
        this.op = op;
    }

    @Override
    public void forward(RuleContext ctx) {
        int size = ctx.out().size();
        float rate = op.rate();
        float scale = rate >= 1f ? 0f : 1f / (1f - rate);
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final float[] x = $L", ctx.inAct(0))
                .addStatement("final float[] y = $L", ctx.outAct())
                .addStatement("final float[] mask = $L", ctx.scratchFloats("mask", size, 0))
                .addStatement("long base = $L * 0xD1B54A32D192ED03L + $LL * 0x9E3779B97F4A7C15L", ctx.seed(), ctx.nodeIndex() + 1)
                .beginControlFlow("for (int i = 0, e = n * $L; i < e; i++)", size)
                .addStatement("long z = base + (i + 1) * 0x9E3779B97F4A7C15L")
                .addStatement("z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L")
                .addStatement("z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL")
                .addStatement("z ^= z >>> 31")
                .addStatement("float u = (z >>> 40) * 0x1.0p-24f")
                .addStatement("float m = u < $L ? 0f : $L", Lit.f(rate), Lit.f(scale))
                .addStatement("mask[i] = m")
                .addStatement("y[i] = x[i] * m")
                .endControlFlow();
        ctx.addForward(ctx.method("forward_").addCode(b.build()).build());
    }

    @Override
    public boolean inference(RuleContext ctx) {
        CodeBlock b = CodeBlock.builder()
                .addStatement("System.arraycopy($L, 0, $L, 0, n * $L)", ctx.inAct(0), ctx.outAct(), ctx.out().size())
                .build();
        ctx.addInference(ctx.method("infer_").addCode(b).build());
        return true;
    }

    @Override
    public void backward(RuleContext ctx) {
        int size = ctx.out().size();
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final float[] dx = $L", ctx.inGrad(0))
                .addStatement("final float[] dy = $L", ctx.outGrad())
                .addStatement("final float[] mask = $L", ctx.scratchFloats("mask", size, 0))
                .beginControlFlow("for (int i = 0, e = n * $L; i < e; i++)", size)
                .addStatement("dx[i] += dy[i] * mask[i]")
                .endControlFlow();
        ctx.addBackward(ctx.method("backward_").addCode(b.build()).build());
    }
}
