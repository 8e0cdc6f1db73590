package dev.striate.frontend.args;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.frontend.Frontend;
import dev.striate.frontend.ast.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one argument binder on calls parsed from a train block ({@code f(...)} on line 8, the
 * value starting at column 7): matching, each error at its {@code line:column}, and the typed
 * getters' ranges. The layer side is covered through the front end (LoweringTest, the error
 * goldens), since layers bind through this class too.
 */
class ArgumentsTest {
    private static final List<String> PARAMS = List.of("lr", "momentum", "nesterov");
    private final Diagnostics diagnostics = new Diagnostics();

    private static Value call(String call) {
        String source = "model M {\n    input x: [1, 4, 4]\n    flatten\n    dense(2, activation=softmax)\n}\n\n"
                + "train M {\nopt = " + call + "\n}\n";
        return Frontend.parse(source, "m.cnn").train("M").orElseThrow().setting("opt").orElseThrow().value();
    }

    private Arguments bind(String call) {
        return Arguments.of(call(call), PARAMS, diagnostics);
    }

    private List<String> errors() {
        return diagnostics.sorted().stream().map(Diagnostic::format).toList();
    }

    @Test
    void positionalThenKeywords() {
        Arguments a = bind("f(0.1, nesterov=true)");
        assertTrue(a.ok());
        assertEquals(List.of("lr", "nesterov"), a.given());
        assertEquals(0.1, a.number("lr", 9, Range.POSITIVE));
        assertEquals(0.5, a.number("momentum", 0.5, Range.NON_NEGATIVE), "absent: the fallback");
        assertTrue(a.bool("nesterov", false));
        assertEquals("f(lr, momentum, nesterov)", a.usage());
        assertEquals(List.of(), errors());
    }

    @Test
    void aBareNameIsACallWithoutArguments() {
        Arguments a = bind("f");
        assertTrue(a.ok());
        assertEquals("f", a.function());
        assertFalse(a.has("lr"));
        assertNull(a.value("lr"));
        a.require("lr", "the learning rate");
        assertFalse(a.ok());
        assertEquals(List.of("m.cnn:8:7: error: f needs argument 'lr': the learning rate [E104]"), errors());
    }

    @Test
    void matchingErrorsAreReportedAtTheArgument() {
        Arguments a = bind("f(1, 2, 3, 4, 5, momentm=1, lr=2, zzz=0)");
        assertFalse(a.ok());
        assertEquals(List.of(
                "m.cnn:8:18: error: f takes at most 3 arguments: f(lr, momentum, nesterov) [E107]",
                "m.cnn:8:24: error: f has no argument 'momentm'; did you mean 'momentum'? [E102]",
                "m.cnn:8:35: error: argument 'lr' is given twice (first at 8:9) [E103]",
                "m.cnn:8:41: error: f has no argument 'zzz'; it takes f(lr, momentum, nesterov) [E102]"), errors());
        assertEquals(1.0, a.number("lr", 0, Range.ANY), "the first lr stands");
    }

    @Test
    void keywordOnlyParametersAreNeverFilledByPosition() {
        Value.CallValue c = (Value.CallValue) call("f(1, name=\"a\", 2)");
        Arguments a = Arguments.bind("f", List.of("size"), List.of("name"), c.arguments(), c.pos(), diagnostics);
        assertFalse(a.ok());
        assertEquals("a", ((Value.StringValue) a.value("name")).value());
        assertEquals(List.of("m.cnn:8:22: error: f takes at most 1 argument: f(size) [E107]"), errors());
    }

    @Test
    void valuesOutsideTheirRangeAreReportedAtTheValueAndGiveTheFallback() {
        Arguments a = bind("f(lr=1, momentum=1, nesterov=2)");
        assertEquals(0.25, a.number("lr", 0.25, Range.PROPER_FRACTION));
        assertEquals(1.0, a.number("momentum", 0.25, Range.FRACTION));
        assertFalse(a.bool("nesterov", false));
        assertEquals(List.of(
                "m.cnn:8:12: error: f lr must be in [0, 1), got 1 [E106]",
                "m.cnn:8:36: error: f nesterov must be true or false, got the integer 2 [E105]"), errors());
    }

    @Test
    void listsOfNumbersAreCheckedItemByItem() {
        Arguments a = bind("f(lr=[1, 0, 2])");
        assertNull(a.numbers("lr", Range.NON_ZERO));
        assertEquals(List.of("m.cnn:8:16: error: f lr must not be zero, got 0 [E106]"), errors());
        assertArrayEquals(new double[] {1, 2}, bind("f([1, 2])").numbers("lr", Range.POSITIVE));
        assertArrayEquals(new double[] {3}, bind("f(3)").numbers("lr", Range.POSITIVE));
    }
}
