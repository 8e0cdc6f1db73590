package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.BatchNorm;
import dev.striate.text.Lit;

/**
 * Batch normalization in training mode, as PyTorch: statistics over the {@code n} samples and all
 * positions of each channel; normalization with the biased variance; running mean and variance
 * updated with {@code momentum} and the unbiased variance (by the model's first worker only). At
 * inference, the running statistics normalize. Backward, with {@code h} the normalized
 * input: d gamma = sum(dy h), d beta = sum(dy), d x = gamma / sigma * (dy - mean(dy) - h mean(dy h)).
 */
final class BatchNormGrad implements GradRule {
    private final BatchNorm op;

    BatchNormGrad(BatchNorm op) {
        this.op = op;
    }

    @Override
    public void forward(RuleContext ctx) {
        int size = ctx.out().size();
        int plane = ctx.out().plane();
        int channels = ctx.out().channels();
        float m = op.momentum();
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final float[] x = $L", ctx.inAct(0))
                .addStatement("final float[] y = $L", ctx.outAct())
                .addStatement("final float[] h = $L", ctx.scratchFloats("normalized", size, 0))
                .addStatement("final float[] inv = $L", ctx.scratchFloats("inverse_std", 0, channels))
                .addStatement("final float[] mean = $L", ctx.scratchFloats("batch_mean", 0, channels))
                .addStatement("final float[] unbiased = $L", ctx.scratchFloats("batch_var", 0, channels))
                .addStatement("int count = n * $L", plane)
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .addStatement("double sum = 0")
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .addStatement("int o = s * $L + c * $L", size, plane)
                .beginControlFlow("for (int i = 0; i < $L; i++)", plane)
                .addStatement("sum += x[o + i]")
                .endControlFlow()
                .endControlFlow()
                .addStatement("float mu = (float) (sum / count)")
                .addStatement("double sq = 0")
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .addStatement("int o = s * $L + c * $L", size, plane)
                .beginControlFlow("for (int i = 0; i < $L; i++)", plane)
                .addStatement("float d = x[o + i] - mu")
                .addStatement("sq += d * d")
                .endControlFlow()
                .endControlFlow()
                .addStatement("float is = (float) (1.0 / Math.sqrt(sq / count + $L))", Lit.f(op.epsilon()))
                .addStatement("mean[c] = mu")
                .addStatement("unbiased[c] = (float) (count > 1 ? sq / (count - 1) : sq / count)")
                .addStatement("inv[c] = is")
                .addStatement("float g = $L[c]", ctx.param("weight"))
                .addStatement("float beta = $L[c]", ctx.param("bias"))
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .addStatement("int o = s * $L + c * $L", size, plane)
                .beginControlFlow("for (int i = 0; i < $L; i++)", plane)
                .addStatement("float v = (x[o + i] - mu) * is")
                .addStatement("h[o + i] = v")
                .addStatement("y[o + i] = v * g + beta")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("if ($L)", ctx.updatesSharedState())
                .addStatement("final float[] rm = $L", ctx.param("running_mean"))
                .addStatement("final float[] rv = $L", ctx.param("running_var"))
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .addStatement("rm[c] = $L * rm[c] + $L * mean[c]", Lit.f(1f - m), Lit.f(m))
                .addStatement("rv[c] = $L * rv[c] + $L * unbiased[c]", Lit.f(1f - m), Lit.f(m))
                .endControlFlow()
                .endControlFlow();
        ctx.addForward(ctx.method("forward_").addCode(b.build()).build());
    }

    @Override
    public boolean inference(RuleContext ctx) {
        int size = ctx.out().size();
        int plane = ctx.out().plane();
        CodeBlock b = CodeBlock.builder()
                .addStatement("final float[] x = $L", ctx.inAct(0))
                .addStatement("final float[] y = $L", ctx.outAct())
                .beginControlFlow("for (int c = 0; c < $L; c++)", ctx.out().channels())
                .addStatement("float mu = $L[c]", ctx.param("running_mean"))
                .addStatement("float is = (float) (1.0 / Math.sqrt($L[c] + (double) $L))", ctx.param("running_var"),
                        Lit.f(op.epsilon()))
                .addStatement("float g = $L[c]", ctx.param("weight"))
                .addStatement("float beta = $L[c]", ctx.param("bias"))
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .addStatement("int o = s * $L + c * $L", size, plane)
                .beginControlFlow("for (int i = o; i < o + $L; i++)", plane)
                .addStatement("y[i] = (x[i] - mu) * is * g + beta")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .build();
        ctx.addInference(ctx.method("infer_").addCode(b).build());
        return true;
    }

    @Override
    public void backward(RuleContext ctx) {
        int size = ctx.out().size();
        int plane = ctx.out().plane();
        int channels = ctx.out().channels();
        String dx = ctx.inGrad(0);
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final float[] dy = $L", ctx.outGrad())
                .addStatement("final float[] h = $L", ctx.scratchFloats("normalized", size, 0))
                .addStatement("final float[] inv = $L", ctx.scratchFloats("inverse_std", 0, channels))
                .addStatement("int count = n * $L", plane)
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .addStatement("double sdy = 0")
                .addStatement("double sdyh = 0")
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .addStatement("int o = s * $L + c * $L", size, plane)
                .beginControlFlow("for (int i = 0; i < $L; i++)", plane)
                .addStatement("float d = dy[o + i]")
                .addStatement("sdy += d")
                .addStatement("sdyh += d * h[o + i]")
                .endControlFlow()
                .endControlFlow()
                .addStatement("$L[c] += (float) sdyh", ctx.paramGrad("weight"))
                .addStatement("$L[c] += (float) sdy", ctx.paramGrad("bias"));
        if (dx != null) {
            b.addStatement("final float[] dx = $L", dx)
                    .addStatement("float k = $L[c] * inv[c]", ctx.param("weight"))
                    .addStatement("float mdy = (float) (sdy / count)")
                    .addStatement("float mdyh = (float) (sdyh / count)")
                    .beginControlFlow("for (int s = 0; s < n; s++)")
                    .addStatement("int o = s * $L + c * $L", size, plane)
                    .beginControlFlow("for (int i = 0; i < $L; i++)", plane)
                    .addStatement("dx[o + i] += k * (dy[o + i] - mdy - h[o + i] * mdyh)")
                    .endControlFlow()
                    .endControlFlow();
        }
        b.endControlFlow();
        ctx.addBackward(ctx.method("backward_").addCode(b.build()).build());
    }
}
