package dev.striate.bench;

import dev.striate.backend.GenerateOptions;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The variants of the generated class that the benchmarks can build: {@code scalar} (the
 * default class, {@code --release 11}, {@code java.base} only) always, and {@code vector} (the
 * Vector API class of {@code striate compile --vector}) when this compiler's
 * {@link GenerateOptions} has it. The harness is compiled against whichever compiler the
 * branch has, so the vector option is found by reflection on the record's components: an enum
 * component with a constant whose name contains {@code VECTOR} (the scalar class then takes the
 * constant containing {@code SCALAR}, or else the first one), or a boolean component whose name
 * contains {@code vector}. Every
 * other component must be one of the three of today's record (package, class name, single file).
 *
 * <p>Chosen with {@code -Dstriate.bench.variants}: {@code auto} (default: scalar, plus vector if
 * available) or a comma-separated list, which fails at once, naming the record's components, if
 * it asks for a variant this compiler cannot build.
 */
final class Variants {
    /** The default class. */
    static final String SCALAR = "scalar";
    /** The Vector API class. */
    static final String VECTOR = "vector";

    private Variants() {
    }

    /** The variants asked for by {@code -Dstriate.bench.variants} (see the class comment). */
    static List<String> selected() {
        String spec = System.getProperty("striate.bench.variants", "auto").trim();
        if (spec.isEmpty() || spec.equals("auto")) {
            return vectorAvailable() ? List.of(SCALAR, VECTOR) : List.of(SCALAR);
        }
        List<String> out = new ArrayList<>();
        for (String s : spec.split(",")) {
            String v = s.trim().toLowerCase(Locale.ROOT);
            if (!v.equals(SCALAR) && !v.equals(VECTOR)) {
                throw new IllegalArgumentException("-Dstriate.bench.variants: unknown variant '" + s
                        + "' (known: scalar, vector, or auto)");
            }
            options(v, "p", "C");
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        return out;
    }

    /** Whether this compiler can build the vector variant. */
    static boolean vectorAvailable() {
        try {
            options(VECTOR, "p", "C");
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Options for one variant, weights in a resource blob beside the class. */
    static GenerateOptions options(String variant, String packageName, String className) {
        return build(GenerateOptions.class, variant, packageName, className);
    }

    /** {@link #options} for any record shaped like {@link GenerateOptions} (tested on stand-ins). */
    static <T extends Record> T build(Class<T> type, String variant, String packageName, String className) {
        boolean vector = variant.equals(VECTOR);
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        boolean found = false;
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            String name = c.getName();
            if (name.equals("packageName")) {
                values[i] = packageName;
            } else if (name.equals("className")) {
                values[i] = className;
            } else if (name.equals("singleFile")) {
                values[i] = false;
            } else if (c.getType().isEnum() && constant(c.getType(), VECTOR) != null) {
                Object scalar = constant(c.getType(), SCALAR);
                values[i] = vector ? constant(c.getType(), VECTOR)
                        : scalar != null ? scalar : c.getType().getEnumConstants()[0];
                found = true;
            } else if (c.getType() == boolean.class && name.toLowerCase(Locale.ROOT).contains(VECTOR)) {
                values[i] = vector;
                found = true;
            } else {
                throw new IllegalStateException(type.getSimpleName() + " has a component the benchmark does not know: "
                        + c.getType().getSimpleName() + " " + name + " (components: " + describe(components)
                        + "); teach dev.striate.bench.Variants about it");
            }
        }
        if (vector && !found) {
            throw new IllegalStateException("this compiler has no vector variant: " + type.getSimpleName() + "("
                    + describe(components) + ") has no enum component with a VECTOR constant and no boolean"
                    + " 'vector' component; build with the vector back end, or ask for scalar only (VARIANTS=scalar"
                    + " for tools/bench/inference.sh, -Dstriate.bench.variants=scalar for java)");
        }
        try {
            Constructor<T> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName() + "(" + describe(components) + ")", e);
        }
    }

    /** The enum constant whose name contains {@code name} (ignoring case), or null. */
    private static Object constant(Class<?> type, String name) {
        for (Object o : type.getEnumConstants()) {
            if (((Enum<?>) o).name().toLowerCase(Locale.ROOT).contains(name)) {
                return o;
            }
        }
        return null;
    }

    private static String describe(RecordComponent[] components) {
        StringBuilder sb = new StringBuilder();
        for (RecordComponent c : components) {
            sb.append(sb.length() == 0 ? "" : ", ").append(c.getType().getSimpleName()).append(' ').append(c.getName());
        }
        return sb.toString();
    }
}
