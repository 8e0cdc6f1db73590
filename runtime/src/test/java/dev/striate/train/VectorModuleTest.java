package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one decision about the Vector API: which kernel runs, and when the CLI restarts with the module. */
class VectorModuleTest {
    @Test
    void thePropertyWinsOverTheEnvironmentAndAutoIsTheDefault() {
        assertEquals("auto", VectorModule.requested(null, null));
        assertEquals("auto", VectorModule.requested(null, ""));
        assertEquals("scalar", VectorModule.requested(null, "Scalar"));
        assertEquals("vector", VectorModule.requested("vector", "scalar"));
    }

    @Test
    void autoRunsTheVectorKernelExactlyWhenTheModuleIsLoaded() {
        assertEquals("vector", VectorModule.kernel("auto", true));
        assertEquals("scalar", VectorModule.kernel("auto", true, false), "no fused multiply-add: the plain kernel");
        assertEquals("vector", VectorModule.kernel("vector", true, false), "asked for explicitly");
        assertEquals("vector", VectorModule.kernel("auto", true, true));
        assertEquals("scalar", VectorModule.kernel("auto", false));
        assertEquals("scalar", VectorModule.kernel("scalar", true));
        assertEquals("vector", VectorModule.kernel("vector", true));
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> VectorModule.kernel("vector", false));
        assertEquals("striate.kernel=vector needs java --add-modules=jdk.incubator.vector", missing.getMessage());
        assertThrows(IllegalStateException.class, () -> VectorModule.kernel("fast", true));
    }

    @Test
    void relaunchesOnlyWhenTheJdkHasTheModuleThisJvmLacks() {
        assertTrue(VectorModule.relaunch(false, true, "auto", false));
        assertTrue(VectorModule.relaunch(false, true, "vector", false));
        assertFalse(VectorModule.relaunch(true, true, "auto", false), "module already there");
        assertFalse(VectorModule.relaunch(false, false, "auto", false), "the JDK has no such module");
        assertFalse(VectorModule.relaunch(false, true, "scalar", false), "the plain kernel asked for");
        assertFalse(VectorModule.relaunch(false, true, "auto", true), "already the relaunched JVM");
    }

    @Test
    void theTestJvmHasTheModuleAsTheRootPomSays() {
        assertTrue(VectorModule.loaded());
        assertTrue(VectorModule.inJdk());
        assertEquals("vector (jdk.incubator.vector)", VectorModule.describe());
    }

    /**
     * The JVM's own answer decides: a JVM started with {@code -XX:-UseFMA} (the Vector API's {@code fma} then runs its
     * per-lane fallback, hundreds of times slower) chooses the plain kernel under {@code auto}; this one, started
     * with the module by surefire on a machine with FMA, the vector kernel.
     */
    @Test
    void autoTakesThePlainKernelWhenTheJvmHasNoFusedMultiplyAdd() throws Exception {
        if (!VectorModule.loaded() || !VectorModule.hardwareFma()) {
            return; // the vector kernel is covered where the module and FMA are (surefire adds the module)
        }
        assertEquals("vector", VectorModule.kernel(VectorModule.requested(null, null), true, VectorModule.hardwareFma()));
        Process p = new ProcessBuilder(java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UseFMA", "--add-modules", VectorModule.NAME, "-cp", System.getProperty("java.class.path"),
                KernelOf.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("kernel=scalar"), out);
        assertTrue(out.contains("fused multiply-add"), out);
    }

    /** Prints the kernel a fresh JVM chooses under {@code auto}, and its description. */
    static final class KernelOf {
        public static void main(String[] args) {
            System.out.println("kernel=" + VectorModule.KERNEL + " " + VectorModule.describe());
        }
    }
}
