package dev.striate.autodiff;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Activation;
import dev.striate.ir.Shape;
import dev.striate.text.Lit;
import dev.striate.train.ReluBackward;

/**
 * Forward and backward code of every activation, over a whole batch held in one array. The
 * backward reads the activation's output {@code y}: each derivative is a function of it
 * (relu and leaky relu: the sign of y; elu: y + alpha; sigmoid: y(1-y); tanh: 1-y^2; softmax:
 * y(dy - sum(dy y)) over channels). Only leaky relu with alpha &lt; 0 and elu with alpha &lt; 0
 * lose the pre-activation's sign (both branches output positive values): for them the backward
 * reads the pre-activation's sign, from the layer's input for a standalone activation, or from a
 * per-worker scratch array where the fused forward of a convolution or dense layer saved it.
 */
final class ActivationGrad {
    /** The runtime's vectorized element-wise loops ({@code dev.striate.train.Kernels}). */
    private static final ClassName KERNELS = ClassName.get("dev.striate.train", "Kernels");

    private ActivationGrad() {
    }

    /** True when the output does not tell the pre-activation's sign, so the forward must save it. */
    static boolean savesInput(Activation a) {
        return a instanceof Activation.LeakyRelu l && l.alpha() < 0 || a instanceof Activation.Elu e && e.alpha() < 0;
    }

    /**
     * Where a layer fused with {@code a} keeps its pre-activation for backward (the training fusion
     * plan, {@link GradRule#keptPreActivation}): the saved array when {@link #savesInput}, else null.
     */
    static String keptPreActivation(Activation a, RuleContext ctx) {
        return savesInput(a) ? saved(ctx, ctx.out()) : null;
    }

    /** The scratch array holding the pre-activation of {@code shape} (see {@link #savesInput}). */
    private static String saved(RuleContext ctx, Shape shape) {
        return ctx.scratchFloats("pre_activation", shape.size(), 0);
    }

    /** Applies {@code a} in place to {@code arr[0 .. n * size)}, saving the pre-activation when needed. */
    static void forward(CodeBlock.Builder b, Activation a, String arr, Shape shape, RuleContext ctx) {
        if (savesInput(a)) {
            b.addStatement("System.arraycopy($L, 0, $L, 0, n * $L)", arr, saved(ctx, shape), shape.size());
        }
        forward(b, a, arr, shape);
    }

    /** Applies {@code a} in place to {@code arr[0 .. n * size)}; for a {@link #savesInput} one, see the overload. */
    private static void forward(CodeBlock.Builder b, Activation a, String arr, Shape shape) {
        if (a.isIdentity()) {
            return;
        }
        if (a instanceof Activation.Softmax) {
            softmaxForward(b, arr, shape);
            return;
        }
        if (a instanceof Activation.Relu) {
            b.addStatement("$T.relu($L, 0, n * $L)", KERNELS, arr, shape.size());
            return;
        }
        if (a instanceof Activation.Tanh) {
            b.addStatement("$T.tanh($L, 0, n * $L)", KERNELS, arr, shape.size());
            return;
        }
        b.beginControlFlow("for (int i = 0, e = n * $L; i < e; i++)", shape.size());
        b.addStatement("float v = $L[i]", arr);
        b.addStatement("$L[i] = $L", arr, elementwise(a));
        b.endControlFlow();
    }

    private static String elementwise(Activation a) {
        if (a instanceof Activation.Relu) {
            return "Math.max(v, 0f)";
        } else if (a instanceof Activation.LeakyRelu l) {
            return "v > 0f ? v : " + Lit.f(l.alpha()) + " * v";
        } else if (a instanceof Activation.Elu e) {
            return "v > 0f ? v : " + Lit.f(e.alpha()) + " * (float) Math.expm1(v)";
        } else if (a instanceof Activation.Sigmoid) {
            return "1f / (1f + (float) Math.exp(-v))";
        }
        // tanh (like relu and softmax) is handled by forward: Kernels.tanh, the one formula
        throw new IllegalArgumentException("no element-wise form for " + a.display());
    }

    private static void softmaxForward(CodeBlock.Builder b, String arr, Shape shape) {
        int c = shape.channels();
        int plane = shape.plane();
        b.beginControlFlow("for (int s = 0; s < n; s++)")
                .beginControlFlow("for (int p = 0; p < $L; p++)", plane)
                .addStatement("int o = s * $L + p", shape.size())
                .addStatement("float max = Float.NEGATIVE_INFINITY")
                .beginControlFlow("for (int c = 0; c < $L; c++)", c)
                .addStatement("max = Math.max(max, $L[o + c * $L])", arr, plane)
                .endControlFlow()
                .addStatement("float sum = 0f")
                .beginControlFlow("for (int c = 0; c < $L; c++)", c)
                .addStatement("float e = (float) Math.exp($L[o + c * $L] - max)", arr, plane)
                .addStatement("$L[o + c * $L] = e", arr, plane)
                .addStatement("sum += e")
                .endControlFlow()
                .addStatement("float inv = 1f / sum")
                .beginControlFlow("for (int c = 0; c < $L; c++)", c)
                .addStatement("$L[o + c * $L] *= inv", arr, plane)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
    }

    /**
     * Turns {@code dy} (d loss / d output) into d loss / d pre-activation in place, from the output
     * {@code y} (and, for a {@link #savesInput} activation, the pre-activation the forward saved).
     */
    static void backward(CodeBlock.Builder b, Activation a, String y, String dy, Shape shape, RuleContext ctx) {
        backward(b, a, y, dy, shape, ctx, null);
    }

    /**
     * As {@link #backward(CodeBlock.Builder, Activation, String, String, Shape, RuleContext)}, with
     * the pre-activation read from {@code preActivation} (an array of the batch, null: the saved copy).
     */
    static void backward(CodeBlock.Builder b, Activation a, String y, String dy, Shape shape, RuleContext ctx,
                         String preActivation) {
        if (a.isIdentity()) {
            return;
        }
        if (savesInput(a)) {
            String d = dy + "[i]";
            b.addStatement("final float[] preActivation = $L",
                    preActivation != null ? preActivation : saved(ctx, shape));
            b.beginControlFlow("for (int i = 0, e = n * $L; i < e; i++)", shape.size());
            if (a instanceof Activation.LeakyRelu l) {
                b.addStatement("$L = preActivation[i] > 0f ? $L : $L * $L", d, d, Lit.f(l.alpha()), d);
            } else {
                // elu for x <= 0: d/dx alpha (exp(x) - 1) = alpha exp(x) = y + alpha
                b.addStatement("$L = preActivation[i] > 0f ? $L : $L * ($L[i] + $L)", d, d, d, y,
                        Lit.f(((Activation.Elu) a).alpha()));
            }
            b.endControlFlow();
            return;
        }
        if (a instanceof Activation.Softmax) {
            softmaxBackward(b, y, dy, shape);
            return;
        }
        if (a instanceof Activation.Relu) {
            reluBackward(b, ctx.reluBackward(), y, dy, shape);
            return;
        }
        b.beginControlFlow("for (int i = 0, e = n * $L; i < e; i++)", shape.size());
        b.addStatement("float v = $L[i]", y);
        b.addStatement("$L[i] = $L", dy, derivative(a, dy + "[i]"));
        b.endControlFlow();
    }

    /** A ReLU's backward by {@code rule}: the true derivative, or the deconvnet or guided-backpropagation rule. */
    private static void reluBackward(CodeBlock.Builder b, ReluBackward rule, String y, String dy, Shape shape) {
        switch (rule) {
            case GRADIENT -> b.addStatement("$T.reluGrad($L, $L, 0, n * $L)", KERNELS, y, dy, shape.size());
            case DECONVNET -> b.beginControlFlow("for (int i = 0, e = n * $L; i < e; i++)", shape.size())
                    .addStatement("$L[i] = $L[i] > 0f ? $L[i] : 0f", dy, dy, dy)
                    .endControlFlow();
            case GUIDED -> b.beginControlFlow("for (int i = 0, e = n * $L; i < e; i++)", shape.size())
                    .addStatement("$L[i] = $L[i] > 0f && $L[i] > 0f ? $L[i] : 0f", dy, y, dy, dy)
                    .endControlFlow();
            default -> throw new IllegalStateException(rule.name());
        }
    }

    private static String derivative(Activation a, String d) {
        if (a instanceof Activation.Relu) {
            return "v > 0f ? " + d + " : 0f";
        } else if (a instanceof Activation.LeakyRelu l) {
            return "v > 0f ? " + d + " : " + Lit.f(l.alpha()) + " * " + d;
        } else if (a instanceof Activation.Elu e) {
            return "v > 0f ? " + d + " : " + d + " * (v + " + Lit.f(e.alpha()) + ")";
        } else if (a instanceof Activation.Sigmoid) {
            return d + " * v * (1f - v)";
        } else if (a instanceof Activation.Tanh) {
            return d + " * (1f - v * v)";
        }
        throw new IllegalArgumentException("no element-wise derivative for " + a.display());
    }

    private static void softmaxBackward(CodeBlock.Builder b, String y, String dy, Shape shape) {
        int c = shape.channels();
        int plane = shape.plane();
        b.beginControlFlow("for (int s = 0; s < n; s++)")
                .beginControlFlow("for (int p = 0; p < $L; p++)", plane)
                .addStatement("int o = s * $L + p", shape.size())
                .addStatement("float dot = 0f")
                .beginControlFlow("for (int c = 0; c < $L; c++)", c)
                .addStatement("dot += $L[o + c * $L] * $L[o + c * $L]", y, plane, dy, plane)
                .endControlFlow()
                .beginControlFlow("for (int c = 0; c < $L; c++)", c)
                .addStatement("int i = o + c * $L", plane)
                .addStatement("$L[i] = $L[i] * ($L[i] - dot)", dy, y, dy)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
    }
}
