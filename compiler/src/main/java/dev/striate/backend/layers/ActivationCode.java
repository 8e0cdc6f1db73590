package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.striate.ir.Activation;
import dev.striate.text.JavaText;
import dev.striate.text.Lit;
import javax.lang.model.element.Modifier;

/** Code for activation functions: element-wise loops, and softmax over channels as its own method. */
final class ActivationCode {
    private ActivationCode() {
    }

    /** The element-wise function of {@code v} as a Java expression; null for identity and softmax. */
    static String expression(Activation a, String v) {
        if (a instanceof Activation.Relu) {
            return "Math.max(" + v + ", 0f)";
        }
        if (a instanceof Activation.LeakyRelu l) {
            return v + " > 0f ? " + v + " : " + Lit.f(l.alpha()) + " * " + v;
        }
        if (a instanceof Activation.Elu e) {
            return v + " > 0f ? " + v + " : " + Lit.f(e.alpha()) + " * (float) Math.expm1(" + v + ")";
        }
        if (a instanceof Activation.Sigmoid) {
            return "1f / (1f + (float) Math.exp(-" + v + "))";
        }
        if (a instanceof Activation.Tanh) {
            return TanhHelper.NAME + "(" + v + ")";
        }
        return null;
    }

    /**
     * Applies an element-wise activation in place to {@code arr[start + i]}, {@code i < count}.
     * Emits nothing for identity and softmax.
     */
    static void applyInPlace(CodeBlock.Builder b, Activation a, String arr, String start, int count) {
        applyInPlace(b, a, arr, start, String.valueOf(count));
    }

    /** As {@link #applyInPlace(CodeBlock.Builder, Activation, String, String, int)}, for a count computed at run time. */
    static void applyInPlace(CodeBlock.Builder b, Activation a, String arr, String start, String count) {
        String e = expression(a, "v");
        if (e == null) {
            return;
        }
        String idx = start.equals("0") ? "i" : start + " + i";
        b.beginControlFlow("for (int i = 0; i < $L; i++)", count)
                .addStatement("float v = $L[$L]", arr, idx)
                .addStatement("$L[$L] = $L", arr, idx, e)
                .endControlFlow();
    }

    /**
     * An in-place softmax over {@code channels} for each of {@code pixels} pixels of a
     * channel-major tensor (PyTorch's {@code softmax(dim=1)}), max-subtracted for stability.
     */
    static MethodSpec softmaxMethod(LayerContext ctx, int channels, int pixels) {
        CodeBlock.Builder b = CodeBlock.builder();
        String at = pixels == 1 ? "c" : "c * " + pixels + " + p";
        if (pixels > 1) {
            b.beginControlFlow("for (int p = 0; p < $L; p++)", pixels);
        }
        b.addStatement("float max = x[$L]", pixels > 1 ? "p" : "0")
                .beginControlFlow("for (int c = 1; c < $L; c++)", channels)
                .addStatement("max = Math.max(max, x[$L])", at)
                .endControlFlow()
                .addStatement("float sum = 0f")
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .addStatement("float e = (float) Math.exp(x[$L] - max)", at)
                .addStatement("x[$L] = e", at)
                .addStatement("sum += e")
                .endControlFlow()
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .addStatement("x[$L] /= sum", at)
                .endControlFlow();
        if (pixels > 1) {
            b.endControlFlow();
        }
        return MethodSpec.methodBuilder("softmax_" + ctx.methodName())
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("Softmax over the $L channels of layer {@code $L}, in place$L.\n", channels,
                        JavaText.comment(ctx.node().name()), pixels > 1 ? ", for each of " + pixels + " pixels" : "")
                .addParameter(float[].class, "x")
                .addCode(b.build())
                .build();
    }

    /** The softmax step for a layer whose activation is softmax, else null. */
    static MethodSpec softmaxFor(LayerContext ctx, Activation a) {
        if (!(a instanceof Activation.Softmax)) {
            return null;
        }
        return softmaxMethod(ctx, ctx.out().channels(), ctx.out().plane());
    }
}
