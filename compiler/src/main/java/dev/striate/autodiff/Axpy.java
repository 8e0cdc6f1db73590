package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;

/**
 * The inner kernel of the convolution matrix products: {@code dst[d + i] += sum_t a_t * src[s_t + i]}
 * for {@code i < len}, four source rows at a time (one load and store of {@code dst} per four
 * multiply-adds), with a one-row tail. Unit stride with no branches, which C2 vectorizes.
 */
final class Axpy {
    private Axpy() {
    }

    /**
     * Emits {@code for t < count: dst[dstOff + i] += coef(t) * src[srcOff(t) + i]}, where the
     * caller supplies {@code coef} and {@code srcOff} as expressions of the loop variable {@code t}.
     */
    static void rows(CodeBlock.Builder b, int count, int len, String dst, String dstOff, String src,
                     String srcOffOfT, String coefOfT) {
        b.addStatement("int t = 0");
        if (count >= 4) {
            b.beginControlFlow("for (; t + 3 < $L; t += 4)", count);
            for (int q = 0; q < 4; q++) {
                String tq = q == 0 ? "t" : "(t + " + q + ")";
                b.addStatement("float a$L = $L", q, coefOfT.replace("$T", tq));
                b.addStatement("int s$L = $L", q, srcOffOfT.replace("$T", tq));
            }
            b.beginControlFlow("for (int i = 0; i < $L; i++)", len)
                    .addStatement("$L[$L + i] += a0 * $L[s0 + i] + a1 * $L[s1 + i] + a2 * $L[s2 + i] + a3 * $L[s3 + i]",
                            dst, dstOff, src, src, src, src)
                    .endControlFlow()
                    .endControlFlow();
        }
        b.beginControlFlow("for (; t < $L; t++)", count)
                .addStatement("float a0 = $L", coefOfT.replace("$T", "t"))
                .addStatement("int s0 = $L", srcOffOfT.replace("$T", "t"))
                .beginControlFlow("for (int i = 0; i < $L; i++)", len)
                .addStatement("$L[$L + i] += a0 * $L[s0 + i]", dst, dstOff, src)
                .endControlFlow()
                .endControlFlow();
    }
}
