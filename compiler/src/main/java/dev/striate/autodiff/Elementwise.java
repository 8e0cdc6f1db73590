package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;

/** The common backward step of element-wise ops: {@code dIn[i] += dOut[i] (* factor)} over the batch. */
final class Elementwise {
    private Elementwise() {
    }

    /** Adds {@code src} (times the float expression {@code factor}, when not null) into {@code dst}. */
    static void accumulate(CodeBlock.Builder b, String dst, String src, String factor, int size) {
        b.beginControlFlow("for (int i = 0, e = n * $L; i < e; i++)", size)
                .addStatement("$L[i] += $L[i]$L", dst, src, factor == null ? "" : " * " + factor)
                .endControlFlow();
    }
}
