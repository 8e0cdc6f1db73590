package dev.striate.backend.layers;

import com.palantir.javapoet.MethodSpec;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The generated {@code tanhExp(float)} helper: the source text of {@code Kernels.tanh(float)}
 * (the runtime's one tanh formula, which the trainer calls), since a generated class depends on
 * nothing. On JDK 17 {@code Math.tanh} is a native call (about 30 ns, most of LeNet-5's inference
 * time), while {@code Math.exp} is a C2 intrinsic. {@code TanhHelperTest} checks the helper and
 * {@code Kernels.tanh} give the same bits.
 *
 * <p>Same values as {@code Kernels.tanh}, written for C2: the clamp to [-20, 20] with comparisons
 * instead of {@code Math.min} and {@code Math.max} (the comparisons are false for NaN, which
 * passes through as before), and {@code exp} computed before the choice between the series near
 * zero and the quotient, a select instead of an early return. 6,300 calls (LeNet-5's tanh layers)
 * took 156 us as {@code Kernels.tanh} is written, 106 us with the comparisons on JDK 17 (59 and 35
 * us on JDK 25); 4,704 calls 63 us with the early return and 27 us with the select on JDK 17, 24
 * and 27 us on JDK 25 (thread CPU time, alternating, on a loaded machine).
 */
public final class TanhHelper {
    /** Name of the helper in generated code. */
    static final String NAME = "tanhExp";

    private TanhHelper() {
    }

    /** True if one of {@code methods} calls the helper. */
    public static boolean neededBy(List<MethodSpec> methods) {
        for (MethodSpec m : methods) {
            if (m.code().toString().contains(NAME + "(")) {
                return true;
            }
        }
        return false;
    }

    /** The helper method. */
    public static MethodSpec method() {
        return MethodSpec.methodBuilder(NAME)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("{@code tanh(v)} from {@code Math.exp} (an intrinsic, unlike {@code Math.tanh} on JDK 17);"
                        + " within one ulp of {@code (float) Math.tanh(v)}.\n")
                .returns(float.class)
                .addParameter(float.class, "v")
                .addStatement("double d = v")
                .addStatement("double c = d > 20.0 ? 20.0 : d < -20.0 ? -20.0 : d")
                .addStatement("double e = Math.exp(2 * c)")
                .addStatement("double t = Math.abs(d) < 1e-4 ? d * (1 - d * d / 3) : (e - 1) / (e + 1)")
                .addStatement("return (float) t")
                .build();
    }
}
