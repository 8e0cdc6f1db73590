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
}
