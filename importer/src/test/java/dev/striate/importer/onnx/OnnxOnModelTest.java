package dev.striate.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.CompileRequest;
import dev.striate.Compiler;
import dev.striate.Limits;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.ir.Graph;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OnnxImport#onModel}, the one path by which {@code compile}, {@code check} and {@code summary}
 * take an {@code .onnx} file: the imported files exist while they are used and are gone afterwards,
 * also after an error, which is reported at the ONNX file, as warnings are.
 */
class OnnxOnModelTest {
    @TempDir
    Path tmp;

    private static Path lenet() throws URISyntaxException {
        return Path.of(OnnxOnModelTest.class.getResource("/onnx/lenet_op13/model.onnx").toURI());
    }

    @Test
    void theImportedFilesAreUsedThenDeleted() throws URISyntaxException {
        Path onnx = lenet();
        List<Path> seen = new ArrayList<>();
        Graph graph = OnnxImport.onModel(CompileRequest.builder(onnx).build(), r -> {
            seen.add(r.source());
            seen.add(r.weights());
            assertTrue(Files.isRegularFile(r.source()) && Files.isRegularFile(r.weights()), seen.toString());
            return Compiler.loadModel(r.source(), r.modelName(), new Diagnostics());
        });
        assertEquals("Model", graph.name());
        assertTrue(seen.get(0).toString().endsWith("model.cnn"), seen.toString());
        assertFalse(Files.exists(seen.get(0).getParent()), "temporary folder left behind: " + seen);
    }

    @Test
    void anErrorIsReportedAtTheOnnxFileAndTheFolderIsDeleted() throws URISyntaxException {
        Path onnx = lenet();
        List<Path> seen = new ArrayList<>();
        CompileRequest request = CompileRequest.builder(onnx).limits(Limits.defaults().with(100L, null, null)).build();
        CompileException e = assertThrows(CompileException.class, () -> OnnxImport.onModel(request, r -> {
            seen.add(r.source());
            return Compiler.check(r);
        }));
        assertEquals(ErrorCode.TOO_MANY_PARAMS, e.diagnostics().get(0).code(), e.getMessage());
        assertEquals(onnx.toString(), e.diagnostics().get(0).pos().file(), e.getMessage());
        assertFalse(Files.exists(seen.get(0).getParent()), "temporary folder left behind: " + seen);
    }

    @Test
    void weightsAreRefusedForAnOnnxFile() throws URISyntaxException {
        CompileRequest request = CompileRequest.builder(lenet()).weights(Path.of("w.weights.json")).build();
        CompileException e = assertThrows(CompileException.class, () -> OnnxImport.onModel(request, r -> {
            throw new AssertionError("must not run");
        }));
        assertTrue(e.getMessage().contains("weights are inside it"), e.getMessage());
    }

    @Test
    void aCnnRequestIsUsedAsItIs() {
        CompileRequest request = CompileRequest.builder(Path.of("m.cnn")).build();
        assertSame(request, OnnxImport.onModel(request, r -> r));
    }

    /**
     * A model whose import is valid but warned about: a 1x1 conv to one channel, then a softmax over
     * it (E109, a warning). Committed as {@code onnx/warned/softmax_one_channel.onnx}.
     */
    static Path softmaxOverOneChannel(Path folder) throws IOException {
        return new TinyOnnx().input("N", 1, 2, 2).weight("w", new int[] {1, 1, 1, 1}, 2f)
                .node("Conv", "conv", List.of("x", "w"), "c").node("Softmax", "sm", List.of("c"), "y", "axis", 1L)
                .output("y").write(folder.resolve("one_channel.onnx"));
    }

    private static void assertAtTheOnnxFile(Path onnx, List<Diagnostic> warnings) {
        assertEquals(1, warnings.size(), warnings.toString());
        Diagnostic w = warnings.get(0);
        assertEquals(ErrorCode.SOFTMAX_OVER_ONE, w.code(), w.toString());
        assertEquals(onnx.toString(), w.pos().file(), w.toString());
        assertTrue(w.message().endsWith(" of the imported .cnn)"), w.toString());
        assertFalse(w.toString().contains("striate-import"), w.toString());
    }

    /** The committed copy of {@link #softmaxOverOneChannel} that the cli and maven-plugin tests use. */
    @Test
    void theWarnedFixtureIsThatModel() throws IOException, URISyntaxException {
        Path fixture = Path.of(OnnxOnModelTest.class.getResource("/onnx/warned/softmax_one_channel.onnx").toURI());
        assertArrayEquals(Files.readAllBytes(softmaxOverOneChannel(tmp)), Files.readAllBytes(fixture));
    }

    @Test
    void warningsOfCompileAndCheckAreAtTheOnnxFile() throws IOException {
        Path onnx = softmaxOverOneChannel(tmp);
        CompileRequest request = CompileRequest.builder(onnx).sourceOutput(tmp.resolve("src"))
                .resourceOutput(tmp.resolve("res")).build();
        assertAtTheOnnxFile(onnx, OnnxImport.compile(request).warnings());
        assertAtTheOnnxFile(onnx, OnnxImport.check(CompileRequest.builder(onnx).build()).warnings());
    }

    @Test
    void theUseIsGivenThePlacingOfWarnings() throws IOException {
        Path onnx = softmaxOverOneChannel(tmp);
        List<Diagnostic> warnings = new ArrayList<>();
        OnnxImport.onModel(CompileRequest.builder(onnx).build(), (r, at) -> {
            Diagnostics found = new Diagnostics();
            Graph graph = Compiler.loadModel(r.source(), r.modelName(), found);
            found.sorted().forEach(d -> warnings.add(at.apply(d)));
            return graph;
        });
        assertAtTheOnnxFile(onnx, warnings);
    }

    /** A model without weights (a softmax alone) imports: no data file is written, and it compiles. */
    @Test
    void aModelWithoutWeightsImportsAndCompiles() throws IOException {
        Path onnx = new TinyOnnx().input("N", 3).node("Softmax", "sm", List.of("x"), "y", "axis", 1L)
                .output("y").write(tmp.resolve("soft.onnx"));
        OnnxImport.Written written = OnnxImport.write(onnx, tmp.resolve("out"), null);
        assertTrue(Files.isRegularFile(written.model()) && Files.isRegularFile(written.weights()), written.toString());
        assertEquals(null, written.blob());
        CompileRequest request = CompileRequest.builder(onnx).sourceOutput(tmp.resolve("src"))
                .resourceOutput(tmp.resolve("res")).build();
        assertTrue(OnnxImport.compile(request).warnings().isEmpty());
    }
}
