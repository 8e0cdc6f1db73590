package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;

/**
 * The inner kernel of the convolution matrix products: {@code dst[i] += sum_t a_t * row_t[i]} for
 * {@code i < len}, four rows at a time (one load and store of {@code dst} per four multiply-adds)
 * with a one-row tail. Every array is indexed by the bare loop variable: HotSpot's C2 (JDK 17)
 * vectorizes such loops, but not loops whose arrays are read at different offsets.
 */
final class Axpy {
    private Axpy() {
    }

    /**
     * Emits {@code for t < count: dst[i] += coef(t) * row(t)[i]}, where {@code row} and {@code coef}
     * are expressions of {@code $T}; with {@code skipZeros}, blocks whose coefficients are all zero
     * (frequent for gradients after ReLU) are skipped.
     */
    static void rows(CodeBlock.Builder b, int count, Object len, String dst, String rowOfT, String coefOfT, boolean skipZeros) {
        b.addStatement("int t = 0");
        if (count >= 4) {
            b.beginControlFlow("for (; t + 3 < $L; t += 4)", count);
            for (int q = 0; q < 4; q++) {
                String tq = q == 0 ? "t" : "(t + " + q + ")";
                b.addStatement("float a$L = $L", q, coefOfT.replace("$T", tq));
            }
            if (skipZeros) {
                b.beginControlFlow("if (a0 == 0f && a1 == 0f && a2 == 0f && a3 == 0f)")
                        .addStatement("continue")
                        .endControlFlow();
            }
            for (int q = 0; q < 4; q++) {
                String tq = q == 0 ? "t" : "(t + " + q + ")";
                b.addStatement("final float[] r$L = $L", q, rowOfT.replace("$T", tq));
            }
            b.beginControlFlow("for (int i = 0; i < $L; i++)", len)
                    .addStatement("$L[i] += a0 * r0[i] + a1 * r1[i] + a2 * r2[i] + a3 * r3[i]", dst)
                    .endControlFlow()
                    .endControlFlow();
        }
        b.beginControlFlow("for (; t < $L; t++)", count)
                .addStatement("float a0 = $L", coefOfT.replace("$T", "t"))
                .addStatement("final float[] r0 = $L", rowOfT.replace("$T", "t"))
                .beginControlFlow("for (int i = 0; i < $L; i++)", len)
                .addStatement("$L[i] += a0 * r0[i]", dst)
                .endControlFlow()
                .endControlFlow();
    }

    /**
     * Emits {@code for t < count: dst0[i] += coef0(t) * row(t)[i]; dst1[i] += coef1(t) * row(t)[i]}:
     * two destinations sharing every row load (two filters, or two positions), four rows at a time,
     * so each loaded row element feeds two multiply-adds. With {@code skipZeros}, blocks whose eight
     * coefficients are all zero are skipped.
     */
    static void rows2(CodeBlock.Builder b, int count, Object len, String dst0, String dst1, String rowOfT,
                      String coef0OfT, String coef1OfT, boolean skipZeros) {
        b.addStatement("int t = 0");
        if (count >= 4) {
            b.beginControlFlow("for (; t + 3 < $L; t += 4)", count);
            for (int q = 0; q < 4; q++) {
                String tq = q == 0 ? "t" : "(t + " + q + ")";
                b.addStatement("float a$L = $L", q, coef0OfT.replace("$T", tq));
                b.addStatement("float b$L = $L", q, coef1OfT.replace("$T", tq));
            }
            if (skipZeros) {
                b.beginControlFlow("if (a0 == 0f && a1 == 0f && a2 == 0f && a3 == 0f "
                                + "&& b0 == 0f && b1 == 0f && b2 == 0f && b3 == 0f)")
                        .addStatement("continue")
                        .endControlFlow();
            }
            for (int q = 0; q < 4; q++) {
                String tq = q == 0 ? "t" : "(t + " + q + ")";
                b.addStatement("final float[] r$L = $L", q, rowOfT.replace("$T", tq));
            }
            b.beginControlFlow("for (int i = 0; i < $L; i++)", len)
                    .addStatement("float v0 = r0[i], v1 = r1[i], v2 = r2[i], v3 = r3[i]")
                    .addStatement("$L[i] += a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3", dst0)
                    .addStatement("$L[i] += b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3", dst1)
                    .endControlFlow()
                    .endControlFlow();
        }
        b.beginControlFlow("for (; t < $L; t++)", count)
                .addStatement("float a0 = $L", coef0OfT.replace("$T", "t"))
                .addStatement("float b0 = $L", coef1OfT.replace("$T", "t"))
                .addStatement("final float[] r0 = $L", rowOfT.replace("$T", "t"))
                .beginControlFlow("for (int i = 0; i < $L; i++)", len)
                .addStatement("float v0 = r0[i]")
                .addStatement("$L[i] += a0 * v0", dst0)
                .addStatement("$L[i] += b0 * v0", dst1)
                .endControlFlow()
                .endControlFlow();
    }
}
