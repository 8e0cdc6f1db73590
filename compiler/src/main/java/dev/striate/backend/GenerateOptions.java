package dev.striate.backend;

/**
 * What the Java backend emits: the generated class's package and simple name, whether the
 * weights go into a resource blob beside the class (default) or into the source itself, and
 * which {@link Variant} of the class.
 */
public record GenerateOptions(String packageName, String className, boolean singleFile, Variant variant) {

    /** Which code the generated class runs. */
    public enum Variant {
        /** Plain Java loops: {@code --release 11}, {@code java.base} only, no flags (the default). */
        SCALAR,
        /**
         * The scalar class plus a nested implementation on {@code jdk.incubator.vector}, used when
         * that module is present at run time (see {@code docs/vector.md}); compiles with
         * {@code --release 17 --add-modules jdk.incubator.vector}.
         */
        VECTOR
    }

    public GenerateOptions {
        if (variant == null) {
            variant = Variant.SCALAR;
        }
    }

    /** The scalar variant. */
    public GenerateOptions(String packageName, String className, boolean singleFile) {
        this(packageName, className, singleFile, Variant.SCALAR);
    }

    /** True for {@link Variant#VECTOR}. */
    public boolean vector() {
        return variant == Variant.VECTOR;
    }
}
