package dev.striate.backend.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Guards the surefire execution {@code scalar-kernel} (compiler/pom.xml), which reruns the trainer
 * tests with {@code -Dstriate.kernel=scalar} and without {@code jdk.incubator.vector}: they must
 * really run on the plain-Java kernel there, and on the vector one in the default execution.
 */
class ScalarKernelTest {
    @Test
    void theExpectedKernelRuns() {
        String expected = "scalar".equals(System.getProperty("striate.kernel")) ? "scalar" : "vector";
        assertEquals(expected, dev.striate.train.VectorModule.KERNEL);
    }
}
