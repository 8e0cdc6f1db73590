package dev.striate.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.Compiler;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.ir.Graph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The labels {@code striate export --onnx} writes ({@code striate.labels} metadata) come back with
 * {@code striate import}; hostile entries are refused with E615 and nothing written.
 */
class OnnxLabelsTest {
    /** Labels that need escaping in a .cnn string and in Java source, and non-ASCII text. */
    static final List<String> TRICKY = List.of("a \"quoted\" cat", "back\\slash\\", "*/ }", "ünïcödé €", "\\u0022",
            "0", "1", "2", "3", "4");

    @TempDir
    Path tmp;

    /** export(m) with labels, then import: the .cnn has the labels statement, parsed back to the same labels. */
    @Test
    void labelsRoundTripThroughExportAndImport() throws IOException {
        Path fixture = OnnxExportFixturesTest.FIXTURES.resolve("mnist_cnn");
        String cnn = Files.readString(fixture.resolve("model.cnn"));
        String labels = TRICKY.stream().map(l -> "\"" + l.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ", "labels [", "]"));
        String edited = cnn.replaceFirst("labels \\[[^\\n]*\\]", java.util.regex.Matcher.quoteReplacement(labels));
        assertFalse(edited.equals(cnn), "the fixture has a labels line to replace");
        Path model = Files.writeString(tmp.resolve("model.cnn"), edited);
        Diagnostics d = new Diagnostics();
        Graph original = Compiler.bindWeights(Compiler.loadModel(model, null, d),
                fixture.resolve("model.weights.json"), d);
        assertEquals(TRICKY, original.labels());

        Path onnx = tmp.resolve("exported.onnx");
        Files.write(onnx, OnnxExport.toOnnx(original, OnnxExport.DEFAULT_OPSET).toByteArray());
        OnnxImport.Written written = OnnxImport.write(onnx, tmp.resolve("back"), "Back");
        String source = Files.readString(written.model(), StandardCharsets.UTF_8);
        assertTrue(source.contains("    labels [\"a \\\"quoted\\\" cat\", \"back\\\\slash\\\\\", "), source);
        Graph back = Compiler.loadModel(written.model(), null, new Diagnostics());
        assertEquals(TRICKY, back.labels());
    }

    /** The model without labels imports without a labels statement. */
    @Test
    void noLabelsNoStatement() throws IOException {
        String source = OnnxImport.read(net(2).write(tmp.resolve("plain.onnx")), null).source();
        assertFalse(source.contains("labels"), source);
        String with = OnnxImport.read(net(2).metadata(OnnxExport.LABELS_KEY, "[\"yes\", \"no\"]")
                .write(tmp.resolve("with.onnx")), null).source();
        assertTrue(with.contains("    labels [\"yes\", \"no\"]\n"), with);
    }

    @Test
    void hostileLabelsAreRefused() throws IOException {
        String tooLong = "x".repeat(257);
        String many = IntStream.range(0, OnnxLabels.MAX_LABELS + 1).mapToObj(i -> "\"l\"")
                .collect(Collectors.joining(",", "[", "]"));
        String[][] cases = {
            {"[\"ok\", \"bad\\u0000\"]", "label 2 contains"},
            {"[\"ok\", \"line\\nbreak\"]", "label 2 contains"},
            {"[\"ok\", \"\\u202e\"]", "label 2 contains"},
            {"[\"ok\", \"" + tooLong + "\"]", "257 characters"},
            {"[\"ok\", \"\"]", "label 2 is empty"},
            {"[\"ok\", 3]", "item 2 is not a string"},
            {"{\"a\": 1}", "not a JSON array"},
            {"[\"ok\", ", "not valid JSON"},
            {"[]", "empty list"},
            {"[\"a\", \"b\", \"c\"]", "3 labels for an output of shape [2]"},
            {many, "over the limit of 100000"},
            {"\"" + "x".repeat(OnnxLabels.MAX_CHARS) + "\"", "over the 8388608-character limit"},
        };
        for (String[] c : cases) {
            Path file = net(2).metadata(OnnxExport.LABELS_KEY, c[0]).write(tmp.resolve("m.onnx"));
            String message = refused(file);
            assertTrue(message.contains(c[1]) && message.contains("striate.labels"), c[1] + ": " + message);
        }
        Path twice = net(2).metadata(OnnxExport.LABELS_KEY, "[\"a\", \"b\"]")
                .metadata(OnnxExport.LABELS_KEY, "[\"c\", \"d\"]").write(tmp.resolve("twice.onnx"));
        assertTrue(refused(twice).contains("appears twice"));
    }

    private String refused(Path model) throws IOException {
        Path out = tmp.resolve("out");
        CompileException e = assertThrows(CompileException.class, () -> OnnxImport.write(model, out, null));
        assertEquals(ErrorCode.IMPORT_LABELS, e.diagnostics().get(0).code(), e.getMessage());
        assertTrue(e.getMessage().contains("m.onnx") || e.getMessage().contains("twice.onnx"), e.getMessage());
        if (Files.exists(out)) {
            try (Stream<Path> files = Files.list(out)) {
                assertEquals(List.of(), files.toList(), "nothing may be written");
            }
        }
        return e.getMessage();
    }

    /** x [N, 1, 4, 4] -> 1x1 conv to {@code channels} -> global average pool -> flatten: a flat output. */
    private static TinyOnnx net(int channels) {
        float[] w = new float[channels];
        for (int i = 0; i < channels; i++) {
            w[i] = i + 1;
        }
        return new TinyOnnx().input("N", 1, 4, 4).weight("w", new int[] {channels, 1, 1, 1}, w)
                .node("Conv", "conv", List.of("x", "w"), "c").node("GlobalAveragePool", "gap", List.of("c"), "g")
                .node("Flatten", "flat", List.of("g"), "y").output("y");
    }
}
