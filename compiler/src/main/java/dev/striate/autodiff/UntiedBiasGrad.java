package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;

/**
 * Untied (per-position) bias {@code out = in + bias}: the input receives the output's gradient unchanged,
 * and {@code dBias[i]} is the output's gradient at position {@code i} summed over the batch.
 */
final class UntiedBiasGrad implements GradRule {
    @Override
    public void backward(RuleContext ctx) {
        int size = ctx.out().size();
        CodeBlock.Builder b = CodeBlock.builder();
        if (ctx.inGrad(0) != null) {
            Elementwise.accumulate(b, ctx.inGrad(0), ctx.outGrad(), null, size);
        }
        b.beginControlFlow("for (int s = 0; s < n; s++)")
                .addStatement("int o = s * $L", size)
                .beginControlFlow("for (int i = 0; i < $L; i++)", size)
                .addStatement("$L[i] += $L[o + i]", ctx.paramGrad("bias"), ctx.outGrad())
                .endControlFlow()
                .endControlFlow();
        ctx.addBackward(ctx.method("backward_").addCode(b.build()).build());
    }
}
