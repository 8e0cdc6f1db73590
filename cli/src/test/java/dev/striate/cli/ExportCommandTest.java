package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code striate export --onnx} on a copy of the LeNet-5 example: the file it writes, its
 * metadata, deterministic bytes, and the output checks (existing file, the model's own files, a
 * folder, bad options), each refused with nothing written. ONNX Runtime runs exports in the
 * importer's tests (OnnxExport*Test).
 */
class ExportCommandTest {
    @TempDir
    Path tmp;

    Path model;

    @BeforeEach
    void copyExample() throws IOException {
        for (String f : List.of("lenet5.cnn", "lenet5.weights.json", "lenet5.weights.bin")) {
            Files.copy(Cli.EXAMPLES.resolve("mnist").resolve(f), tmp.resolve(f));
        }
        model = tmp.resolve("lenet5.cnn");
    }

    @Test
    void writesTheModelBesideTheCnnWithLabelsInItsMetadata() throws IOException {
        Cli.Run run = Cli.run("export", "--onnx", model.toString());
        assertEquals(0, run.exitCode(), run.toString());
        Path onnx = tmp.resolve("lenet5.onnx");
        assertTrue(run.out().startsWith("wrote " + onnx + ": opset 17, "), run.out());
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(onnx));
        assertEquals(17, m.getOpsetImport(0).getVersion());
        Map<String, String> meta = m.getMetadataPropsList().stream()
                .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
        assertEquals("[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]", meta.get("striate.labels"));
        assertTrue(meta.get("striate.input_preprocessing").contains("\"input_shape\":[1,28,28]"), meta.toString());
        assertTrue(meta.get("striate.input_preprocessing").contains("\"op\":\"rescale\",\"scale\":0.003921569"),
                meta.toString());
        assertEquals(11, m.getGraph().getInitializerCount(), "weight and bias of 5 layers, rescale's scale");
        assertEquals("batch", m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
    }

    @Test
    void anExistingFileIsReplacedOnlyWithForceAndTheBytesAreTheSame() throws IOException {
        Path out = tmp.resolve("out/net.onnx");
        assertEquals(0, Cli.run("export", "--onnx", model.toString(), "-o", out.toString()).exitCode());
        byte[] first = Files.readAllBytes(out);
        Files.write(out, new byte[] {1, 2, 3});
        Cli.Run again = Cli.run("export", "--onnx", model.toString(), "-o", out.toString());
        assertEquals(1, again.exitCode(), again.toString());
        assertTrue(again.err().contains("already exists; pass --force") && again.err().contains("[E503]"), again.err());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out));
        Cli.Run forced = Cli.run("export", "--onnx", model.toString(), "-o", out.toString(), "--force", "--opset", "17");
        assertEquals(0, forced.exitCode(), forced.toString());
        assertArrayEquals(first, Files.readAllBytes(out), "the same model exports to the same bytes");
    }

    @Test
    void theModelsOwnFilesAndFoldersAreRefused() throws IOException {
        byte[] weights = Files.readAllBytes(tmp.resolve("lenet5.weights.bin"));
        for (String target : List.of("lenet5.cnn", "lenet5.weights.json", "lenet5.weights.bin")) {
            Cli.Run run = Cli.run("export", "--onnx", model.toString(), "-o", tmp.resolve(target).toString(), "--force");
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.err().contains("is the model's own file") && run.err().contains("[E503]"), run.err());
        }
        assertArrayEquals(weights, Files.readAllBytes(tmp.resolve("lenet5.weights.bin")));
        Cli.Run folder = Cli.run("export", "--onnx", model.toString(), "-o", tmp.toString());
        assertEquals(1, folder.exitCode(), folder.toString());
        assertTrue(folder.err().contains("is a folder"), folder.err());
        assertOnlyTheModel();
    }

    @Test
    void badOptionsAreUsageErrors() throws IOException {
        Cli.Run noFormat = Cli.run("export", model.toString());
        assertEquals(1, noFormat.exitCode(), noFormat.toString());
        assertTrue(noFormat.err().contains("--onnx"), noFormat.err());
        for (String opset : List.of("10", "22")) {
            Cli.Run run = Cli.run("export", "--onnx", model.toString(), "--opset", opset);
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.err().contains("--opset must be 11 to 21, got " + opset), run.err());
        }
        assertOnlyTheModel();
    }

    @Test
    void theWeightsCeilingApplies() throws IOException {
        Cli.Run run = Cli.run("export", "--onnx", model.toString(), "--max-weights-bytes", "1000");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("[E408]") && run.err().contains("--max-weights-bytes"), run.err());
        assertOnlyTheModel();
    }

    @Test
    void aBadModelOrMissingWeightsArePositionedErrorsAndWriteNothing() throws IOException {
        Files.delete(tmp.resolve("lenet5.weights.json"));
        Cli.Run noWeights = Cli.run("export", "--onnx", model.toString());
        assertEquals(1, noWeights.exitCode(), noWeights.toString());
        assertTrue(noWeights.err().contains("weights file not found") && noWeights.err().contains("[E503]"),
                noWeights.err());
        Path bad = Files.writeString(tmp.resolve("bad.cnn"), "model Bad {\n    input x: [1, 4, 4]\n    dense(3)\n}\n");
        Cli.Run shape = Cli.run("export", "--onnx", bad.toString());
        assertEquals(1, shape.exitCode(), shape.toString());
        assertTrue(shape.err().startsWith(bad + ":3:"), shape.err());
        assertFalse(shape.err().contains("\tat "), "no stack trace: " + shape.err());
        assertFalse(Files.exists(tmp.resolve("lenet5.onnx")));
        assertFalse(Files.exists(tmp.resolve("bad.onnx")));
    }

    /** Nothing but the copied model (and what a test wrote itself) is in the folder: no .onnx, no temporary file. */
    private void assertOnlyTheModel() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("lenet5.cnn", "lenet5.weights.bin", "lenet5.weights.json"), names);
        }
    }
}
