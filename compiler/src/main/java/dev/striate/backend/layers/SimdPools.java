package dev.striate.backend.layers;

import static dev.striate.backend.layers.SimdKernels.FLOAT_VECTOR;
import static dev.striate.backend.layers.SimdKernels.helper;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;

/**
 * The pooling kernels of the generated Vector API class: max/average pooling and global pooling of
 * HWC maps, channels in lanes, in window/pixel order. Registered and emitted through {@link SimdKernels}.
 */
final class SimdPools {
    private SimdPools() {
    }

    static MethodSpec pool(boolean max) {
        String init = max ? "Float.NEGATIVE_INFINITY" : "0f";
        String op = max ? "max" : "add";
        MethodSpec.Builder m = helper(max ? "maxPool" : "avgPool", (max ? "Max" : "Average") + " pooling of HWC {@code x} ({@code c} channels, {@code h x w}) into HWC {@code y},\n"
                + "channels in lanes, window cells in order, accumulating in {@code y} itself (no vector value is\n"
                + "carried through the nested loops: JDK 17's C2 would box it); windows are clipped to the input, so\n"
                + "padded cells never win a max and count in an average only when {@code includePad}.")
                .addParameter(float[].class, "x").addParameter(int.class, "c").addParameter(int.class, "h")
                .addParameter(int.class, "w").addParameter(float[].class, "y").addParameter(int.class, "oh")
                .addParameter(int.class, "ow").addParameter(int.class, "kh").addParameter(int.class, "kw")
                .addParameter(int.class, "sh").addParameter(int.class, "sw").addParameter(int.class, "pt")
                .addParameter(int.class, "pl").addParameter(boolean.class, "includePad");
        CodeBlock.Builder b = CodeBlock.builder()
                        .addStatement("int cv = S.loopBound(c)")
                        .addStatement("$T start = $T.broadcast(S, $L)", FLOAT_VECTOR, FLOAT_VECTOR, init)
                        .beginControlFlow("for (int oy = 0; oy < oh; oy++)")
                        .addStatement("int iy = oy * sh - pt")
                        .addStatement("int ky0 = Math.max(0, -iy)")
                        .addStatement("int ky1 = Math.min(kh, h - iy)")
                        .beginControlFlow("for (int ox = 0; ox < ow; ox++)")
                        .addStatement("int ix = ox * sw - pl")
                        .addStatement("int kx0 = Math.max(0, -ix)")
                        .addStatement("int kx1 = Math.min(kw, w - ix)")
                        .addStatement("int o = (oy * ow + ox) * c")
                        .beginControlFlow("for (int ci = 0; ci < cv; ci += L)")
                        .addStatement("start.intoArray(y, o + ci)")
                        .endControlFlow()
                        .beginControlFlow("for (int ci = cv; ci < c; ci++)")
                        .addStatement("y[o + ci] = $L", init)
                        .endControlFlow()
                        .beginControlFlow("for (int ky = ky0; ky < ky1; ky++)")
                        .beginControlFlow("for (int kx = kx0; kx < kx1; kx++)")
                        .addStatement("int r = ((iy + ky) * w + ix + kx) * c")
                        .beginControlFlow("for (int ci = 0; ci < cv; ci += L)")
                        .addStatement("$T.fromArray(S, y, o + ci).$L($T.fromArray(S, x, r + ci)).intoArray(y, o + ci)",
                                FLOAT_VECTOR, op, FLOAT_VECTOR)
                        .endControlFlow()
                        .beginControlFlow("for (int ci = cv; ci < c; ci++)")
                        .addStatement(max ? "y[o + ci] = Math.max(y[o + ci], x[r + ci])" : "y[o + ci] += x[r + ci]")
                        .endControlFlow()
                        .endControlFlow()
                        .endControlFlow();
        if (!max) {
            b.addStatement("float div = includePad ? kh * kw : (ky1 - ky0) * (kx1 - kx0)")
                    .beginControlFlow("for (int ci = 0; ci < c; ci++)")
                    .addStatement("y[o + ci] /= div")
                    .endControlFlow();
        }
        b.endControlFlow().endControlFlow();
        return m.addCode(b.build()).build();
    }

    static MethodSpec globalPool(boolean max) {
        String op = max ? "acc.max(v)" : "acc.add(v)";
        return helper(max ? "globalMaxPool" : "globalAvgPool", "Global " + (max ? "max" : "average")
                + " pooling of HWC {@code x} ({@code c} channels, {@code n} pixels) into\n"
                + "{@code y[c]}, channels in lanes, pixels in order.")
                .addParameter(float[].class, "x").addParameter(int.class, "c").addParameter(int.class, "n")
                .addParameter(float[].class, "y")
                .addCode(CodeBlock.builder()
                        .addStatement("int cv = S.loopBound(c)")
                        .beginControlFlow("for (int ci = 0; ci < cv; ci += L)")
                        .addStatement("$T acc = $T.fromArray(S, x, ci)", FLOAT_VECTOR, FLOAT_VECTOR)
                        .beginControlFlow("for (int i = 1; i < n; i++)")
                        .addStatement("$T v = $T.fromArray(S, x, i * c + ci)", FLOAT_VECTOR, FLOAT_VECTOR)
                        .addStatement("acc = $L", op)
                        .endControlFlow()
                        .addStatement(max ? "acc.intoArray(y, ci)" : "acc.div((float) n).intoArray(y, ci)")
                        .endControlFlow()
                        .beginControlFlow("for (int ci = cv; ci < c; ci++)")
                        .addStatement("float acc = x[ci]")
                        .beginControlFlow("for (int i = 1; i < n; i++)")
                        .addStatement(max ? "acc = Math.max(acc, x[i * c + ci])" : "acc += x[i * c + ci]")
                        .endControlFlow()
                        .addStatement(max ? "y[ci] = acc" : "y[ci] = acc / n")
                        .endControlFlow()
                        .build())
                .build();
    }
}
