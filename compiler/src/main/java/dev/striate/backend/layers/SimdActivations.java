package dev.striate.backend.layers;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.striate.ir.Activation;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Element-wise tanh and sigmoid of the generated Vector API class ({@link SimdClass}), over a value's
 * floats in any layout. They use only lane-wise add, multiply, fused multiply-add, divide, min, abs,
 * compare, blend and integer bit operations: never {@code VectorOperators.TANH}/{@code EXP}, whose
 * results may differ between the interpreter and C2 and between JDKs. So each lane's result is a fixed
 * function of its input, whatever the tier or the vector length (a length that is not a whole number of
 * vectors ends with two overlapping whole vectors, same arithmetic; only one shorter than a vector is masked:
 * masked loads and stores allocate on JDK 17's C2).
 * <ul>
 * <li>{@code exp(y)} for {@code 0 <= y <= 104}: {@code y = n ln2 + r} with {@code n} rounded to
 * nearest by adding {@code 1.5 * 2^23} (whose low bits then hold {@code n}), {@code ln2} split in two
 * (Cephes), a degree-6 polynomial for {@code exp(r)}, times {@code 2^n} made from the integer bits (as
 * two factors, so it overflows to infinity rather than wrapping);</li>
 * <li>tanh: {@code m / (m + 2)} with {@code m = exp(2|x|) - 1}, one formula for every {@code x}: with
 * {@code 2|x| = n ln2 + r} as above, {@code m = 2^n (r + r^2 q) + (2^n - 1)} (one FMA; {@code 2^n - 1} exact
 * for {@code n <= 24}), so small {@code |x|} (where {@code n = 0}) keep their relative accuracy without a
 * second polynomial; {@code |x|} clamped at 10 (where tanh rounds to 1, {@code 2^n} a single exact factor);
 * the sign is copied from {@code x} bitwise, so {@code -0} stays {@code -0} and NaN stays NaN;</li>
 * <li>sigmoid: {@code e = exp(min(|x|, 88))} for {@code x >= 0}, giving {@code e / (e + 1)}, and
 * {@code e = exp(min(|x|, 104))} below, giving {@code 1 / (e + 1)} (subnormal down to 0 at -inf); no
 * cancellation on either side.</li>
 * </ul>
 * {@code SimdActivationsTest} bounds the error against {@code Math.tanh} and the exact sigmoid.
 */
final class SimdActivations {
    static final ClassName INT_VECTOR = ClassName.get("jdk.incubator.vector", "IntVector");
    static final ClassName OPERATORS = ClassName.get("jdk.incubator.vector", "VectorOperators");
    private static final ClassName FV = SimdKernels.FLOAT_VECTOR;

    private static final String TANH = "tanhVec";
    private static final String SIGMOID = "sigmoidVec";

    /** The helpers this class provides. */
    static final Set<String> NAMES = Set.of(TANH, SIGMOID);

    private SimdActivations() {
    }

    /** The helper computing {@code a} over an array, or null when {@code a} has none. */
    static String helperFor(Activation a) {
        if (a instanceof Activation.Tanh) {
            return TANH;
        }
        if (a instanceof Activation.Sigmoid) {
            return SIGMOID;
        }
        return null;
    }

    /** The helper {@code name}, one of {@link #NAMES}. */
    static MethodSpec method(String name) {
        boolean tanh = name.equals(TANH);
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("int bound = S.loopBound(n)")
                .addStatement("boolean overlap = bound < n && n >= L")
                .beginControlFlow("for (int i = 0, end = overlap ? bound - L : bound; i < end; i += L)")
                .addStatement("$T x = $T.fromArray(S, src, i)", FV, FV);
        lanes(b, tanh);
        b.addStatement("y.intoArray(dst, i)")
                .endControlFlow()
                .beginControlFlow("if (overlap)")
                .add("// the last two vectors, the second ending at n and overlapping the first: both read before"
                        + " either is stored\n// (dst may be src), both stored whole (the overlap gets the same values"
                        + " twice); masked loads and\n// stores allocate on JDK 17's C2\n")
                .addStatement("$T next = $T.fromArray(S, src, n - L)", FV, FV)
                .add("{\n$>")
                .addStatement("$T x = $T.fromArray(S, src, bound - L)", FV, FV);
        lanes(b, tanh);
        b.addStatement("y.intoArray(dst, bound - L)")
                .add("$<}\n{\n$>")
                .addStatement("$T x = next", FV);
        lanes(b, tanh);
        b.addStatement("y.intoArray(dst, n - L)")
                .add("$<}\n")
                .nextControlFlow("else if (bound < n)")
                .addStatement("$T m = S.indexInRange(bound, n)", SimdKernels.MASK)
                .addStatement("$T x = $T.fromArray(S, src, bound, m)", FV, FV);
        lanes(b, tanh);
        b.addStatement("y.intoArray(dst, bound, m)").endControlFlow();
        return MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("{@code dst[i] = $L(src[i])} for {@code i < n} ({@code dst} may be {@code src}), lane-wise"
                        + " from add, multiply, FMA,\ndivide, min, compare and integer bits only (no Vector API"
                        + " transcendental: the results are the\nsame on every tier and JDK).\n",
                        tanh ? "tanh" : "sigmoid")
                .addParameter(float[].class, "src")
                .addParameter(float[].class, "dst")
                .addParameter(int.class, "n")
                .addCode(b.build())
                .build();
    }

    /** Statements computing {@code y} from {@code x}. */
    private static void lanes(CodeBlock.Builder b, boolean tanh) {
        b.addStatement("$T a = x.abs()", FV);
        if (tanh) {
            expParts(b, "a.min(10f).mul(2f)");
            b.addStatement("$T s = j.reinterpretAsInts().add($L).lanewise($T.LSHL, 23).reinterpretAsFloats()", FV,
                            127 - 0x4B400000, OPERATORS)
                    .addStatement("$T em1 = q.fma(r.mul(r), r).fma(s, s.sub(1f))", FV)
                    .addStatement("$T y = em1.div(em1.add(2f)).reinterpretAsInts()\n"
                            + ".or(x.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats()", FV);
        } else {
            exp(b, "a.min($T.broadcast(S, 88f).blend(104f, x.lt(0f)))", FV);
            b.addStatement("$T y = $T.broadcast(S, 1f).blend(e, x.compare($T.GE, 0f)).div(e.add(1f))", FV, FV,
                    OPERATORS);
        }
    }

    /**
     * Statements computing {@code e = exp(arg)} for {@code 0 <= arg <= 104} (infinite above 88.7; NaN gives
     * NaN); {@code 2^n} is applied as two factors {@code 2^(n/2)} and {@code 2^(n - n/2)}, each exact.
     */
    private static void exp(CodeBlock.Builder b, String arg, Object... argTypes) {
        expParts(b, arg, argTypes);
        b.addStatement("$T ni = j.reinterpretAsInts().sub(0x4B400000)", INT_VECTOR)
                .addStatement("$T h = ni.lanewise($T.ASHR, 1)", INT_VECTOR, OPERATORS)
                .addStatement("$T e = q.fma(r.mul(r), r).add(1f)\n"
                        + ".mul(h.add(127).lanewise($T.LSHL, 23).reinterpretAsFloats())\n"
                        + ".mul(ni.sub(h).add(127).lanewise($T.LSHL, 23).reinterpretAsFloats())", FV, OPERATORS,
                        OPERATORS);
    }

    /**
     * The range reduction of {@code exp(t)}, {@code t = arg}: {@code j} holds {@code n = round(t / ln2)} in its
     * low bits, {@code k = n}, {@code r = t - n ln2}, and {@code q} with {@code exp(r) = 1 + r + r^2 q}.
     */
    private static void expParts(CodeBlock.Builder b, String arg, Object... argTypes) {
        b.addStatement("$T t = $L", FV, CodeBlock.of(arg, argTypes))
                .addStatement("$T j = t.fma(1.44269504f, 12582912f)", FV)
                .addStatement("$T k = j.sub(12582912f)", FV)
                .addStatement("$T r = k.fma($L, t)", FV, c(-0.693359375f))
                .addStatement("r = k.fma($L, r)", c(2.12194440e-4f))
                .addStatement("$T q = r.fma($L, $L)", FV, c(1.9875691500e-4f), c(1.3981999507e-3f))
                .addStatement("q = q.fma(r, $L)", c(8.3334519073e-3f))
                .addStatement("q = q.fma(r, $L)", c(4.1665795894e-2f))
                .addStatement("q = q.fma(r, $L)", c(1.6666665459e-1f))
                .addStatement("q = q.fma(r, $L)", c(5.0000001201e-1f));
    }

    private static CodeBlock c(float v) {
        return CodeBlock.of("$T.broadcast(S, $Lf)", FV, Float.toString(v));
    }
}
