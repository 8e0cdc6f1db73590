package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Shape;

/** Per-channel bias: filling an output batch with it, and its gradient (d z summed over positions and samples). */
final class Bias {
    private Bias() {
    }

    /** Sets every channel plane of every sample of {@code out} to its bias (or zero when {@code bias} is null). */
    static void fill(CodeBlock.Builder b, String out, String bias, Shape shape) {
        int plane = Lits.plane(shape);
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

    /** {@code dBias[c] += sum over samples and positions of dz}. */
    static void grad(CodeBlock.Builder b, String dz, String dBias, Shape shape) {
        int plane = Lits.plane(shape);
        b.beginControlFlow("for (int c = 0; c < $L; c++)", shape.channels())
                .addStatement("float acc = 0f")
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .addStatement("int o = s * $L + c * $L", shape.size(), plane)
                .beginControlFlow("for (int i = 0; i < $L; i++)", plane)
                .addStatement("acc += $L[o + i]", dz)
                .endControlFlow()
                .endControlFlow()
                .addStatement("$L[c] += acc", dBias)
                .endControlFlow();
    }
}
