package dev.striate.train;

import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.util.Locale;

/**
 * The one place that decides whether Striate's own code runs on the JDK's Vector API
 * ({@code jdk.incubator.vector}): the training kernels ({@link Gemm}, {@link Kernels}) read
 * {@link #KERNEL}, checkpoints record it, and the command line asks {@link #relaunch} whether to
 * restart a training command in a JVM that has the module (the launchers pass no module flags
 * themselves). See {@code docs/vector.md}, "Where the Vector API is enabled".
 *
 * <p>The choice: {@code -Dstriate.kernel=auto|vector|scalar}, else the environment variable
 * {@code STRIATE_KERNEL}, else {@code auto}, which means the vector kernel exactly when the module
 * is in the boot layer ({@code java --add-modules jdk.incubator.vector}) and the JVM has a fused
 * multiply-add instruction ({@link #hardwareFma}): without one, every vector {@code fma} of the kernels
 * runs the Vector API's per-lane Java fallback (on an AVX-512 machine under {@code -XX:-UseFMA} or
 * {@code -XX:UseAVX=0}, one seeded MNIST step did not finish in 45 s; the plain kernel takes 2 s).
 *
 * <p>A generated class of the vector variant does not use this class (it depends on
 * {@code java.base} only): it makes the same boot-layer test itself, once, when it initializes.
 */
public final class VectorModule {
    /** The JDK module. */
    public static final String NAME = "jdk.incubator.vector";
    /** The java option that puts it in the boot layer. */
    public static final String ADD_MODULES = "--add-modules=" + NAME;
    /** The system property choosing the kernel. */
    public static final String PROPERTY = "striate.kernel";
    /** The environment variable choosing the kernel when the property is not set. */
    public static final String ENVIRONMENT = "STRIATE_KERNEL";

    /** The kernel this JVM runs: {@code "vector"} or {@code "scalar"}. */
    public static final String KERNEL = thisJvm();

    private VectorModule() {
    }

    /** True when the module is in this JVM's boot layer. */
    public static boolean loaded() {
        return ModuleLayer.boot().findModule(NAME).isPresent();
    }

    /** True when this JVM's JDK has the module (in the boot layer or not). */
    public static boolean inJdk() {
        return ModuleFinder.ofSystem().find(NAME).isPresent();
    }

    /** What was asked for, lower case: the property, else the environment variable, else {@code "auto"}. */
    static String requested(String property, String environment) {
        String value = property != null ? property : environment != null && !environment.isEmpty() ? environment : "auto";
        return value.toLowerCase(Locale.ROOT);
    }

    /**
     * False when this HotSpot JVM says it has no fused multiply-add instruction ({@code UseFMA} off: a CPU
     * without FMA3, or {@code -XX:-UseFMA}, {@code -XX:UseAVX=0}); true when it has one or cannot tell (another
     * JVM, or no {@code jdk.management} module in the runtime image).
     */
    static boolean hardwareFma() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean vm =
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return vm == null || !"false".equals(vm.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError unknown) {
            return true;
        }
    }

    /**
     * {@link #KERNEL}: asks the JVM about FMA only when the answer matters ({@code auto} with the module loaded), since
     * reading the flag starts the management beans (about 30 ms).
     */
    private static String thisJvm() {
        String requested = requested(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
        boolean loaded = loaded();
        return kernel(requested, loaded, !(loaded && requested.equals("auto")) || hardwareFma());
    }

    /** {@link #kernel(String, boolean, boolean)} on a JVM with a fused multiply-add. */
    static String kernel(String requested, boolean loaded) {
        return kernel(requested, loaded, true);
    }

    /**
     * The kernel for what was {@code requested} when the module is {@code loaded} or not, on a JVM with a fused
     * multiply-add ({@code fma}) or without: {@code auto} takes the vector kernel only with both; an explicit
     * {@code vector} is obeyed.
     */
    static String kernel(String requested, boolean loaded, boolean fma) {
        switch (requested) {
            case "scalar":
                return "scalar";
            case "vector":
                if (!loaded) {
                    throw new IllegalStateException(PROPERTY + "=vector needs java " + ADD_MODULES);
                }
                return "vector";
            case "auto":
                return loaded && fma ? "vector" : "scalar";
            default:
                throw new IllegalStateException(PROPERTY + " (or " + ENVIRONMENT + ") must be auto, vector or scalar, not '"
                        + requested + "'");
        }
    }

    /**
     * True when a training command should run again in a JVM with {@link #ADD_MODULES}: the module
     * is not {@code loaded} here but the JDK has it, the plain kernel was not asked for, and this JVM
     * is not itself such a restart ({@code relaunched}).
     */
    public static boolean relaunch(boolean loaded, boolean inJdk, String requested, boolean relaunched) {
        return !loaded && inJdk && !relaunched && !requested.equals("scalar");
    }

    /** {@link #relaunch(boolean, boolean, String, boolean)} for this JVM. */
    public static boolean relaunch(boolean relaunched) {
        // without a fused multiply-add, auto runs the plain kernel anyway: no restart for the module
        String requested = requested(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
        return relaunch(loaded(), inJdk(), requested, relaunched) && (requested.equals("vector") || hardwareFma());
    }

    /** A line saying which kernel runs, for {@code striate train}'s header. */
    public static String describe() {
        if (KERNEL.equals("vector")) {
            return "vector (" + NAME + ")";
        }
        return loaded() && !hardwareFma() ? "scalar (this JVM has no fused multiply-add instruction, UseFMA is off: "
                + "the vector kernel would run slower than the plain one)"
                : "scalar (java --add-modules " + NAME + " enables the faster vector kernel)";
    }
}
