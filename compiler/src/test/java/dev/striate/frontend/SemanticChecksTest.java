package dev.striate.frontend;

import static dev.striate.frontend.Lowered.FILE;
import static dev.striate.frontend.Lowered.warnings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.ir.Graph;
import dev.striate.testing.ReferenceInterpreter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checks of meaning made once shapes are known: pool padding over half the window (E108)
 * and softmax over one channel (E109).
 */
class SemanticChecksTest {

    /** Every diagnostic of lowering {@code source} (errors and warnings), in source order. */
    private static List<Diagnostic> diagnostics(String source) {
        Diagnostics d = new Diagnostics();
        try {
            Frontend.parse(source, FILE).model(null, d);
        } catch (CompileException e) {
            return e.diagnostics();
        }
        return d.sorted();
    }

    private static String pool(String kind, int inH, int inW, String args) {
        return "model M {\n    input x: [2, " + inH + ", " + inW + "]\n    " + kind + "(" + args + ")\n}\n";
    }

    /**
     * PyTorch's rule, {@code pad <= kernel_size / 2} (integer division, per axis), applied to each
     * side, over every small window, stride, padding and input: what is accepted never gives a
     * window of padding alone (no -Infinity from maxpool, no NaN from avgpool without
     * count_include_pad); what is refused is refused with E108 at the padding argument.
     */
    @Test
    void poolPaddingFollowsPyTorchsRuleAndAcceptedPaddingNeverYieldsAnEmptyWindow() {
        Random random = new Random(3);
        int accepted = 0;
        int refused = 0;
        for (int k = 1; k <= 4; k++) {
            for (int s = 1; s <= 3; s++) {
                for (int before = 0; before <= 3; before++) {
                    for (int after = 0; after <= 3; after++) {
                        for (int in = 1; in <= 6; in++) {
                            for (boolean rows : new boolean[] {true, false}) {
                                String pads = rows ? "[" + before + ", " + after + ", 0, 0]"
                                        : "[0, 0, " + before + ", " + after + "]";
                                int[] kernel = rows ? new int[] {k, 1} : new int[] {1, k};
                                String args = "[" + kernel[0] + ", " + kernel[1] + "], stride=" + s + ", padding=" + pads;
                                boolean pyTorchAccepts = before <= k / 2 && after <= k / 2;
                                if (k > in + before + after) {
                                    continue; // the window does not fit at all: another error (E302)
                                }
                                for (String kind : List.of("maxpool", "avgpool")) {
                                    String extra = kind.equals("avgpool") ? ", count_include_pad=false" : "";
                                    String source = pool(kind, rows ? in : 3, rows ? 3 : in, args + extra);
                                    List<Diagnostic> found = diagnostics(source);
                                    if (pyTorchAccepts) {
                                        assertEquals(List.of(), found, source);
                                        Graph g = Frontend.parse(source, FILE).model(null);
                                        float[] x = new float[g.inputs().get(0).shape().size()];
                                        for (int i = 0; i < x.length; i++) {
                                            x[i] = random.nextFloat() * 2 - 1;
                                        }
                                        for (double y : ReferenceInterpreter.run(g, x)) {
                                            assertTrue(Double.isFinite(y), source + " gives " + y);
                                        }
                                        accepted++;
                                    } else {
                                        assertEquals(1, found.size(), source + found);
                                        Diagnostic d = found.get(0);
                                        assertEquals(ErrorCode.POOL_PADDING, d.code(), source);
                                        assertEquals(3, d.pos().line());
                                        assertEquals(source.split("\n")[2].indexOf("padding=") + 9, d.pos().column(),
                                                source);
                                        assertTrue(d.message().contains("use at most " + (k / 2) + (rows ? " row" : " column")
                                                + (k / 2 == 1 ? "" : "s") + " of padding on each side"),
                                                d.message());
                                        refused++;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertTrue(accepted > 500 && refused > 500, accepted + " accepted, " + refused + " refused");
    }

    /** Keras's {@code same} puts at most floor(K / 2) on each side, so it is never refused. */
    @Test
    void samePaddingIsNeverRefused() {
        for (int k = 1; k <= 6; k++) {
            for (int s = 1; s <= 6; s++) {
                for (int in = 1; in <= 9; in++) {
                    for (String kind : List.of("maxpool", "avgpool")) {
                        String source = pool(kind, in, in + 1, k + ", stride=" + s + ", padding=same");
                        List<Diagnostic> found = diagnostics(source);
                        assertFalse(found.stream().anyMatch(d -> d.code() == ErrorCode.POOL_PADDING), source + found);
                    }
                }
            }
        }
    }

    @Test
    void theDefaultStrideIsTheWindowAndMergedPadLayersAreNotRefused() {
        assertEquals(List.of(), diagnostics(pool("maxpool", 4, 4, "2, padding=1")));
        String padThenPool = "model M {\n    input x: [1, 4, 4]\n    pad([3, 0, 3, 0])\n    avgpool(2)\n}\n";
        assertNotNull(Frontend.parse(padThenPool, FILE).model(null));
    }

    @Test
    void softmaxOverOneChannelIsAWarningAtTheActivation() {
        String source = """
                model M {
                    input x: [3, 4, 4]
                    c = conv2d(1, kernel=1, activation=softmax)
                    s = softmax(c)
                    t = conv2d(x, 1, kernel=4, activation=softmax)
                    flatten
                    d = dense(1, activation=softmax)
                    add(d, d)
                }
                """;
        assertEquals(List.of(
                "m.cnn:3:40: warning: softmax over 1 channel always outputs 1.0 (layer conv2d_1): softmax normalizes "
                        + "across channels, and there is only one; use sigmoid for a single probability, or give the "
                        + "layer more outputs [E109]",
                "m.cnn:4:9: warning: softmax over 1 channel always outputs 1.0 (layer softmax_1): softmax normalizes "
                        + "across channels, and there is only one; use sigmoid for a single probability, or give the "
                        + "layer more outputs [E109]",
                "m.cnn:5:43: warning: softmax over 1 channel always outputs 1.0 (layer conv2d_2): softmax normalizes "
                        + "across channels, and there is only one; use sigmoid for a single probability, or give the "
                        + "layer more outputs [E109]",
                "m.cnn:7:29: warning: softmax over 1 unit always outputs 1.0 (layer dense_1): softmax normalizes "
                        + "across the values, and there is only one; use sigmoid for a single probability, or give "
                        + "the layer more outputs [E109]"),
                warnings(source).stream().filter(w -> w.endsWith("[E109]")).toList());
    }

    @Test
    void softmaxOverSeveralChannelsAndSigmoidOverOneAreFine() {
        assertEquals(List.of(), warnings("""
                model M {
                    input x: [3, 4, 4]
                    conv2d(2, kernel=1, activation=softmax)
                    conv2d(1, kernel=1, activation=sigmoid)
                    flatten
                    dense(2)
                    softmax
                }
                """));
    }
}
