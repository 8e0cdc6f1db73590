package dev.striate.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.frontend.Frontend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Layer arguments and train block settings bind through one binder with one idea of a
 * fraction: at and beside the bounds, a batch-norm momentum and SGD's dampening (fractions,
 * [0, 1]) agree, and so do a dropout rate, the validation share and Adam's beta1 (proper
 * fractions, [0, 1)); each refusal is a positioned E106 with the same rule in its words.
 */
class FractionsAgreeTest {
    private static final String HEAD = "model M {\n    input x: [2, 4, 4]\n";

    /** The layer's error for {@code layer} on line 3, or null when the model lowers. */
    private static Diagnostic layerError(String layer) {
        String source = HEAD + "    " + layer + "\n    flatten\n    dense(2, activation=softmax)\n}\n";
        try {
            Frontend.parse(source, "m.cnn").model(null);
            return null;
        } catch (CompileException e) {
            assertEquals(1, e.diagnostics().size(), e.getMessage());
            return e.diagnostics().get(0);
        }
    }

    /** The train block's error for {@code setting} on line 8, or null when it reads. */
    private static Diagnostic trainError(String setting) {
        String source = HEAD + "    flatten\n    dense(2, activation=softmax)\n}\n\ntrain M {\n" + setting + "\n}\n";
        try {
            TrainBlockReader.read(Frontend.parse(source, "m.cnn").train("M").orElseThrow());
            return null;
        } catch (CompileException e) {
            assertEquals(1, e.diagnostics().size(), e.getMessage());
            return e.diagnostics().get(0);
        }
    }

    private static void assertVerdict(boolean allowed, String rule, Diagnostic d, int line, String what) {
        if (allowed) {
            assertNull(d, what);
            return;
        }
        assertNotNull(d, what + " should be refused");
        assertEquals(ErrorCode.BAD_VALUE, d.code(), d.format());
        assertEquals(line, d.pos().line(), d.format());
        assertTrue(d.message().contains(rule + ", got "), d.format());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.5", "1", "0.999999", "1.000001", "-0.000001"})
    void fractionsIncludeOne(String v) {
        double x = Double.parseDouble(v);
        boolean allowed = x >= 0 && x <= 1;
        assertVerdict(allowed, "must be in [0, 1]", layerError("batchnorm(momentum=" + v + ")"), 3, "momentum " + v);
        assertVerdict(allowed, "must be in [0, 1]", trainError("optimizer = sgd(lr=0.1, dampening=" + v + ")"), 8,
                "dampening " + v);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.5", "1", "0.999999", "1.000001", "-0.000001"})
    void properFractionsStayBelowOne(String v) {
        double x = Double.parseDouble(v);
        boolean allowed = x >= 0 && x < 1;
        assertVerdict(allowed, "must be in [0, 1)", layerError("dropout(" + v + ")"), 3, "rate " + v);
        assertVerdict(allowed, "must be in [0, 1)", trainError("validation = " + v), 8, "validation " + v);
        assertVerdict(allowed, "must be in [0, 1)", trainError("optimizer = adam(beta1=" + v + ")"), 8, "beta1 " + v);
    }
}
