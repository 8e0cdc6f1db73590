package dev.striate.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.ir.Graph;
import dev.striate.ir.Sizes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Size arithmetic at the limits of Java's int: every dimension, value and weight tensor must fit
 * one Java array, all weights one weights resource. What does not fit is refused while lowering
 * (so {@code check}, {@code summary}, {@code init} and {@code compile} agree) with
 * {@link ErrorCode#TOO_LARGE} at the layer, never an overflow later.
 */
class SizeLimitsTest {
    private static final String FILE = "m.cnn";

    private static Diagnostic refused(String input, String layer) {
        String source = "model M {\n    input x: " + input + "\n    " + layer + "\n}\n";
        CompileException e = assertThrows(CompileException.class, () -> Frontend.parse(source, FILE).model(null));
        assertEquals(1, e.diagnostics().size(), e.getMessage());
        Diagnostic d = e.diagnostics().get(0);
        assertEquals(ErrorCode.TOO_LARGE, d.code(), d.format());
        return d;
    }

    private static Graph lowered(String input, String layer) {
        return Frontend.parse("model M {\n    input x: " + input + "\n    " + layer + "\n}\n", FILE).model(null);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[2]                | dense(2000000000)",
        "[1]                | dense(2147483647)",
        "[1, 4, 4]          | pad(2147483647)",
        "[1, 4, 4]          | pad([0, 0, 2147483647, 2147483647])",
        "[1, 4, 4]          | pixel_shuffle(46341)",
        "[1, 65536, 65536]  | pixel_shuffle(1) -> conv2d(2, kernel=1)",
        "[4, 2, 2]          | pixel_shuffle(2) -> pixel_shuffle(1) -> conv_transpose2d(1, kernel=2, stride=2000000000)",
        "[1, 4, 4]          | conv2d(1, kernel=1, padding=2147483647)",
        "[1, 4, 4]          | conv2d(1, kernel=2147483647, padding=same)",
        "[1, 4, 4]          | conv2d(1, kernel=3, stride=2147483647, dilation=2147483647, padding=same)",
        "[1, 4, 4]          | depthwise_conv2d(kernel=1, multiplier=2147483647)",
        "[3, 32768, 32768]  | flatten",
        "[64, 4096, 4096]   | flatten -> dense(2)",
        "[2147483639]       | dense(2)",
        "[99999999999]      | dense(2)",
    })
    void sizesThatDoNotFitAnIntAreRefusedAtTheLayer(String input, String layer) {
        Diagnostic d = refused(input.strip(), layer.strip());
        assertTrue(d.pos().line() == 2 || d.pos().line() == 3, d.format());
        assertTrue(d.message().contains("2,147,483,639") || d.message().contains("2,147,483,647")
                || d.message().contains(Sizes.count(Sizes.MAX_TOTAL_PARAMS)), d.message());
    }

    @Test
    void concatOfChannelsOverflowingAnIntIsRefused() {
        String source = "model M {\n    input x: [1073741824]\n    a = relu(x)\n    b = relu(x)\n"
                + "    c = concat(a, b, x)\n    output c\n}\n";
        CompileException e = assertThrows(CompileException.class, () -> Frontend.parse(source, FILE).model(null));
        assertEquals(ErrorCode.TOO_LARGE, e.diagnostics().get(0).code(), e.getMessage());
        assertEquals(5, e.diagnostics().get(0).pos().line());
    }

    @Test
    void theLargestArrayIsAcceptedAndOneMoreIsNot() {
        Graph g = lowered("[" + Sizes.MAX_ELEMENTS + "]", "relu");
        assertEquals(Sizes.MAX_ELEMENTS, g.nodes().get(1).shape().size());
        refused("[" + (Sizes.MAX_ELEMENTS + 1L) + "]", "relu");
    }

    @Test
    void allWeightsMustFitOneWeightsResource() {
        // each tensor fits an array, the sum does not fit the resource
        Diagnostic d = refused("[1]", "dense(300000000) -> dense(2)");
        assertTrue(d.message().contains("at most " + Sizes.count(Sizes.MAX_TOTAL_PARAMS)), d.message());
        assertEquals(3, d.pos().line());
        Graph g = lowered("[1]", "dense(200000000)");
        assertEquals(400_000_000L, g.paramCount(g.nodes().get(1)));
    }

    @Test
    void windowsOverAPaddedInputLargerThanAnIntAreRefused() {
        // generated code indexes windows with int arithmetic: 4 + 2 * 1,073,741,823 rows do not fit
        Diagnostic d = refused("[1, 4, 4]", "maxpool([2147483647, 1], padding=[1073741823, 1073741823, 0, 0], stride=1)");
        assertEquals("m.cnn:3:5: error: maxpool: the padded input has 2,147,483,650 rows; at most 2,147,483,647"
                + " (Java's int) (layer maxpool_1) [E307]", d.format());
        Diagnostic taps = refused("[1, 1, 1]", "avgpool([65536, 65536], padding=32768)");
        assertTrue(taps.message().startsWith("avgpool: a window of 65536x65536 has 4,294,967,296 elements"),
                taps.message());
        Diagnostic conv = refused("[1, 4, 4]", "conv2d(1, kernel=1, padding=[0, 2147483647])");
        assertTrue(conv.message().startsWith("conv2d: the padded input has"), conv.message());
        // the largest padded input that fits is accepted
        Graph g = lowered("[1, 4, 4]", "conv2d(1, kernel=3, padding=[0, 0, 1073741821, 1073741822], stride=[1, 1073741824])");
        assertEquals("[1, 2, 2]", g.nodes().get(1).shape().toString());
    }

    @Test
    void saturatingArithmetic() {
        assertEquals(Long.MAX_VALUE, Sizes.saturatingMultiply(1L << 32, 1L << 31));
        assertEquals(Long.MAX_VALUE, Sizes.saturatingMultiply(Long.MAX_VALUE, 2));
        assertEquals(6, Sizes.saturatingMultiply(2, 3));
        assertEquals(0, Sizes.saturatingMultiply(0, Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, Sizes.saturatingAdd(Long.MAX_VALUE, 1));
        assertEquals(Long.MAX_VALUE, Sizes.elements(65536, 65536, 65536, 65536));
        assertEquals(3L * 32768 * 32768, Sizes.elements(3, 32768, 32768));
    }
}
