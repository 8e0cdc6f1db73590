package dev.striate.testing;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compares generated float32 results with the double-precision reference: each element must
 * satisfy {@code |actual - expected| <= atol + rtol * |expected|} (forward: atol 1e-5, rtol 1e-4).
 */
public final class Tolerance {
    public static final double ATOL = 1e-5;
    public static final double RTOL = 1e-4;

    private Tolerance() {
    }

    public static void assertClose(double[] expected, float[] actual, String what) {
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= ATOL + RTOL * Math.abs(expected[i]))) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i] + " (error " + err + ")");
            }
        }
    }
}
