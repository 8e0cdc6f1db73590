package dev.striate.autodiff;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Activation;
import dev.striate.ir.Shape;
import dev.striate.train.ReluBackward;

/** Per-channel bias: filling an output batch with it, and its gradient (d z summed over positions and samples). */
final class Bias {
    private static final ClassName KERNELS = ClassName.get("dev.striate.train", "Kernels");

    private Bias() {
    }

    /** Sets every channel plane of every sample of {@code out} to its bias (or zero when {@code bias} is null). */
    static void fill(CodeBlock.Builder b, String out, String bias, Shape shape) {
        int plane = shape.plane();
        b.beginControlFlow("for (int s = 0; s < n; s++)")
                .beginControlFlow("for (int c = 0; c < $L; c++)", shape.channels())
                .addStatement("int o = s * $L + c * $L", shape.size(), plane)
                .addStatement("float v = $L", bias == null ? "0f" : bias + "[c]")
                .beginControlFlow("for (int i = 0; i < $L; i++)", plane)
                .addStatement("$L[o + i] = v", out)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
    }

    /**
     * The backward pass through a layer's activation and bias, from d out to d z in place: a ReLU
     * with a bias runs as one pass ({@code Kernels.reluBiasGrad}), anything else as the activation's
     * backward ({@link ActivationGrad#backward}) followed by {@code Kernels.biasGrad}
     * ({@code dBias[c] += } d z summed over samples and positions, in a fixed order); a ReLU whose mask the
     * max pool reading it applied ({@link ReluPoolFusion}) only the bias gradient.
     */
    static void activationAndGrad(CodeBlock.Builder b, Activation a, boolean bias, RuleContext ctx) {
        Shape shape = ctx.out();
        if (a instanceof Activation.Relu && ctx.reluMaskedByPool()) {
            b.add("// d z: the ReLU's mask was applied by the max pool that reads this layer (ReluPoolFusion)\n");
            if (bias) {
                b.addStatement("$T.biasGrad($L, n, $L, $L, $L, $L)", KERNELS, ctx.outGrad(), shape.size(),
                        shape.channels(), shape.plane(), ctx.paramGrad("bias"));
            }
            return;
        }
        if (bias && a instanceof Activation.Relu && ctx.reluBackward() == ReluBackward.GRADIENT) {
            b.addStatement("$T.reluBiasGrad($L, $L, n, $L, $L, $L, $L)", KERNELS, ctx.outAct(), ctx.outGrad(), shape.size(),
                    shape.channels(), shape.plane(), ctx.paramGrad("bias"));
            return;
        }
        ActivationGrad.backward(b, a, ctx.outAct(), ctx.outGrad(), shape, ctx);
        if (bias) {
            b.addStatement("$T.biasGrad($L, n, $L, $L, $L, $L)", KERNELS, ctx.outGrad(), shape.size(), shape.channels(),
                    shape.plane(), ctx.paramGrad("bias"));
        }
    }
}
