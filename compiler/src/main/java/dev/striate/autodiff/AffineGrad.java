package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.ChannelAffineOp;
import dev.striate.ir.Normalize;
import dev.striate.ir.Rescale;
import dev.striate.text.Lit;

/**
 * The fixed per-channel affine maps without parameters: {@code normalize} ({@code (x - mean) / std})
 * and {@code rescale} ({@code x * scale + offset}). The forward pass is the inference class's code;
 * the input gradient is d out times the slope.
 */
final class AffineGrad implements GradRule {
    private final ChannelAffineOp op;

    AffineGrad(ChannelAffineOp op) {
        this.op = op;
    }

    /** Loops over samples and channels with {@code mu}/{@code sd} (normalize) bound per channel. */
    private CodeBlock loops(RuleContext ctx, String src, String dst) {
        int plane = ctx.in().plane();
        int channels = ctx.in().channels();
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final float[] x = $L", src)
                .addStatement("final float[] y = $L", dst);
        if (op instanceof Rescale r) {
            return b.beginControlFlow("for (int i = 0, e = n * $L; i < e; i++)", ctx.in().size())
                    .addStatement("y[i] += x[i] * $L", Lit.f(r.scale()))
                    .endControlFlow().build();
        }
        Normalize nz = (Normalize) op;
        StringBuilder means = new StringBuilder();
        StringBuilder stds = new StringBuilder();
        for (int c = 0; c < channels; c++) {
            means.append(c > 0 ? ", " : "").append(Lit.f(nz.meanOf(c)));
            stds.append(c > 0 ? ", " : "").append(Lit.f(nz.stdOf(c)));
        }
        b.addStatement("final float[] means = {$L}", means)
                .addStatement("final float[] stds = {$L}", stds)
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .addStatement("int o = s * $L + c * $L", ctx.in().size(), plane)
                .addStatement("float mu = means[c]")
                .addStatement("float sd = stds[c]")
                .beginControlFlow("for (int i = o; i < o + $L; i++)", plane);
        b.addStatement("y[i] += x[i] / sd");
        return b.endControlFlow().endControlFlow().endControlFlow().build();
    }

    @Override
    public void backward(RuleContext ctx) {
        ctx.addBackward(ctx.method("backward_").addCode(loops(ctx, ctx.outGrad(), ctx.inGrad(0))).build());
    }
}
