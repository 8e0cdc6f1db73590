package dev.striate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiler's messages name the settings a user may change the way the front end asks
 * ({@link CompileRequest#optionNames()}): the command line's flags by default, anything else
 * (the Maven plugin's parameters) when given, and nothing at all for a setting the front end lacks.
 */
class OptionNamesTest {
    private static final OptionNames TAGS = option -> "<" + option.name() + ">";
    private static final OptionNames NONE = option -> null;
    private static final String WIDE = "model M {\n    input x: [2]\n    dense(8)\n}\n";
    private static final String HUGE = "model M {\n    input x: [2048]\n    dense(2048)\n}\n";
    private static final Limits ROOMY = Limits.defaults().with(1L << 30, 1L << 30, 1L << 30);

    @TempDir
    Path dir;

    private String messages(String model, OptionNames names, Limits limits, boolean singleFile, boolean weights)
            throws IOException {
        Path source = Files.writeString(dir.resolve("m.cnn"), model);
        if (weights) {
            Files.writeString(dir.resolve("m.weights.json"), "{\"format\": \"striate-weights\", \"version\": 1, "
                    + "\"model\": \"M\", \"tensors\": [{\"name\": \"dense_1.weight\", \"shape\": [8, 2], "
                    + "\"dtype\": \"float32\", \"values\": [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8]}, "
                    + "{\"name\": \"dense_1.bias\", \"shape\": [8], \"dtype\": \"float32\", "
                    + "\"values\": [0, 0, 0, 0, 0, 0, 0, 0]}]}");
        }
        CompileRequest.Builder request = CompileRequest.builder(source).singleFile(singleFile).limits(limits)
                .sourceOutput(dir.resolve("out"));
        if (names != null) {
            request.optionNames(names);
        }
        CompileException e = assertThrows(CompileException.class, () -> Compiler.compile(request.build()));
        return String.join("\n", e.diagnostics().stream().map(Diagnostic::message).toList());
    }

    @Test
    void theLimitsAreRaisedWithTheFrontEndsSetting() throws IOException {
        Limits tight = Limits.defaults().with(10L, 3L, null);
        assertEquals("model M passes the limit of 10 parameters at layer dense_1 (24 so far); raise it with"
                + " --max-params and the JVM's -Xmx\nlayer dense_1 outputs [8] = 8 floats, over the limit of 3 floats"
                + " per value; raise it with --max-activation-floats", messages(WIDE, null, tight, false, false));
        assertEquals("model M passes the limit of 10 parameters at layer dense_1 (24 so far); raise it with"
                + " <MAX_PARAMS> and the JVM's -Xmx\nlayer dense_1 outputs [8] = 8 floats, over the limit of 3 floats"
                + " per value; raise it with <MAX_ACTIVATION_FLOATS>", messages(WIDE, TAGS, tight, false, false));
        assertEquals("model M passes the limit of 10 parameters at layer dense_1 (24 so far)\nlayer dense_1 outputs"
                + " [8] = 8 floats, over the limit of 3 floats per value", messages(WIDE, NONE, tight, false, false));
    }

    @Test
    void theWeightsCeilingIsNamedByTheFrontEnd() throws IOException {
        Limits tight = ROOMY.with(null, null, 4L);
        String rule = "a manifest may take 1/8 of the weights ceiling, or 1 MiB if that is more; the ceiling is ";
        String heap = "by default a quarter of the JVM's maximum heap)";
        assertTrue(messages(WIDE, null, tight, false, true).endsWith(rule + "--max-weights-bytes, " + heap));
        assertTrue(messages(WIDE, TAGS, tight, false, true).endsWith(rule + "<MAX_WEIGHTS_BYTES>, " + heap));
        assertTrue(messages(WIDE, NONE, tight, false, true).endsWith(rule + heap));
    }

    @Test
    void aMissingWeightsFileSuggestsTheFrontEndsSetting() throws IOException {
        String init = "weights file not found (run 'striate init' to create seeded weights";
        assertEquals(init + ", or pass --weights)", messages(WIDE, null, ROOMY, false, false));
        assertEquals(init + ", or pass <WEIGHTS>)", messages(WIDE, TAGS, ROOMY, false, false));
        assertEquals(init + ")", messages(WIDE, NONE, ROOMY, false, false));
    }

    @Test
    void theSingleFileCapNamesTheFrontEndsSetting() throws IOException {
        String cap = " embeds at most 4,194,304 (16 MB) in the Java source, a limit first passed at layer dense_1: drop ";
        String blob = " to write the weights as a resource blob beside the class";
        String has = "model M has 4,196,352 parameters; ";
        assertEquals(has + "--single-file" + cap + "--single-file" + blob, messages(HUGE, null, ROOMY, true, false));
        assertEquals(has + "<SINGLE_FILE>" + cap + "<SINGLE_FILE>" + blob, messages(HUGE, TAGS, ROOMY, true, false));
        assertEquals(has + "single-file mode" + cap + "single-file mode" + blob,
                messages(HUGE, NONE, ROOMY, true, false));
    }
}
