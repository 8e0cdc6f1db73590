package dev.striate.backend.layers;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The generated {@code FOUR_ROW_PASSES} flag: true on JDK 25 and later, where the blocked conv
 * product ({@link ConvProducts#blockedProduct}) takes four unfolded rows per pass instead of two.
 * C2 vectorizes the four-row loop (16 fused multiply-adds per pixel) from JDK 25 but leaves it
 * scalar on JDK 17 (its loop body is then too large), while the two-row loop is vectorized by both;
 * on JDK 25 the four-row loop was 1.2-1.4x faster (fewer accumulator loads and stores per
 * multiply-add; tools/bench/ConvForms.java). Both take each output's fused multiply-adds over the
 * rows in the same order, so the class gives the same bits on every JDK. JDK 18-24 were not
 * measured and take the two-row loop. The same flag runs the channel-inner product of small planes
 * ({@link ConvProducts#innerProduct}) two pixels a pass (JDK 25) or one (JDK 17, which leaves the
 * two-pixel loop scalar); again the same sums in the same order.
 */
public final class FourRowPasses {
    /** Name of the flag in generated code. */
    static final String NAME = "FOUR_ROW_PASSES";

    private FourRowPasses() {
    }

    /** True if one of {@code methods} reads the flag. */
    public static boolean neededBy(List<MethodSpec> methods) {
        for (MethodSpec m : methods) {
            if (m.code().toString().contains(NAME)) {
                return true;
            }
        }
        return false;
    }

    /** The flag's field. */
    public static FieldSpec field() {
        return FieldSpec.builder(boolean.class, NAME, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("True from JDK 25, whose C2 vectorizes the conv products' four-row passes (JDK 17: two rows a"
                        + " pass);\nboth take the same sums in the same order, so the results are the same bits.\n")
                .initializer("$T.version().feature() >= 25", Runtime.class)
                .build();
    }
}
