package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Shape;

/** Per-channel bias: filling an output batch with it, and its gradient (d z summed over positions and samples). */
final class Bias {
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
     * {@code dBias[c] += sum over samples and positions of dz}, with four partial sums (C2 does
     * not vectorize float reductions; independent sums at least overlap their latencies).
     */
    static void grad(CodeBlock.Builder b, String dz, String dBias, Shape shape) {
        int plane = shape.plane();
        b.beginControlFlow("for (int c = 0; c < $L; c++)", shape.channels())
                .addStatement("float acc0 = 0f, acc1 = 0f, acc2 = 0f, acc3 = 0f")
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .addStatement("int o = s * $L + c * $L", shape.size(), plane)
                .addStatement("int i = 0")
                .beginControlFlow("for (; i + 3 < $L; i += 4)", plane)
                .addStatement("acc0 += $L[o + i]", dz)
                .addStatement("acc1 += $L[o + i + 1]", dz)
                .addStatement("acc2 += $L[o + i + 2]", dz)
                .addStatement("acc3 += $L[o + i + 3]", dz)
                .endControlFlow()
                .beginControlFlow("for (; i < $L; i++)", plane)
                .addStatement("acc0 += $L[o + i]", dz)
                .endControlFlow()
                .endControlFlow()
                .addStatement("$L[c] += (acc0 + acc1) + (acc2 + acc3)", dBias)
                .endControlFlow();
    }
}
