package dev.striate.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.CompileRequest;
import dev.striate.Compiler;
import dev.striate.Limits;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.ir.Graph;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link OnnxImport#onModel}, the one path by which {@code compile}, {@code check} and {@code summary}
 * take an {@code .onnx} file: the imported files exist while they are used and are gone afterwards,
 * also after an error, which is reported at the ONNX file.
 */
class OnnxOnModelTest {
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
}
