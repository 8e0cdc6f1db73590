package dev.striate.importer.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.striate.Compiler;
import dev.striate.backend.GenerateOptions;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.importer.onnx.OnnxImport;
import dev.striate.ir.Graph;
import dev.striate.testing.CompiledModel;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test of the safetensors import against PyTorch: every case of
 * {@code tools/reference/generate_safetensors.py} (LeNet-5 in F32, F16 and BF16; a net with three
 * batch norms in F32 and BF16) is imported onto its {@code .cnn}, compiled in memory and run on
 * the golden inputs; outputs must match PyTorch within {@code atol + rtol * |expected|} (1e-5,
 * 1e-4). For F16/BF16 PyTorch ran with the same rounded weights.
 */
class SafetensorsFixturesTest {
    @TempDir
    Path out;

    static Path root() {
        try {
            return Path.of(SafetensorsFixturesTest.class.getResource("/safetensors/cases.txt").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> cases() throws IOException {
        return Files.readAllLines(root().resolve("cases.txt")).stream().map(String::strip).filter(s -> !s.isEmpty());
    }

    static List<String> maps(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("maps.txt")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void importedWeightsMatchPyTorch(String name) throws IOException {
        Path dir = root().resolve(name);
        Path manifest = out.resolve("w.weights.json");
        StateDictImport.write(dir.resolve("weights.safetensors"), dir.resolve("model.cnn"), maps(dir), manifest);
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(dir.resolve("model.cnn"), null, diagnostics);
        graph = Compiler.bindWeights(graph, manifest, diagnostics);
        assertFalse(diagnostics.hasErrors(), diagnostics.sorted().toString());
        CompiledModel.Instance model = CompiledModel.compile(Compiler.generateClass(graph,
                new GenerateOptions("safetensors." + name, "Model", false))).load();
        JsonNode golden = new ObjectMapper().readTree(dir.resolve("golden.json").toFile());
        double atol = golden.get("atol").asDouble();
        double rtol = golden.get("rtol").asDouble();
        for (int s = 0; s < golden.get("inputs").size(); s++) {
            float[] expected = floats(golden.get("outputs").get(s));
            float[] actual = model.predict(floats(golden.get("inputs").get(s)));
            assertEquals(expected.length, actual.length, name + ": output size");
            for (int i = 0; i < expected.length; i++) {
                double err = Math.abs(actual[i] - expected[i]);
                if (!(err <= atol + rtol * Math.abs(expected[i]))) {
                    fail(name + " sample " + s + " element " + i + ": got " + actual[i] + ", PyTorch " + expected[i]);
                }
            }
        }
    }

    /** LeNet's nn.Sequential names share nothing with the .cnn's default names: every module maps by its shapes. */
    @Test
    void sequentialNamesMapByShape() {
        Path dir = root().resolve("lenet_f32");
        StateDictImport.Result r = StateDictImport.read(dir.resolve("weights.safetensors"), dir.resolve("model.cnn"),
                List.of());
        Map<String, String> mapped = r.mappings().stream().collect(Collectors.toMap(StateDictImport.Mapping::tensor,
                m -> m.parameter() + " " + m.rule()));
        assertEquals(Map.of("features.0.weight", "conv2d_1.weight shape", "features.0.bias", "conv2d_1.bias shape",
                "features.3.weight", "conv2d_2.weight shape", "features.3.bias", "conv2d_2.bias shape",
                "classifier.0.weight", "dense_1.weight shape", "classifier.0.bias", "dense_1.bias shape",
                "classifier.2.weight", "dense_2.weight shape", "classifier.2.bias", "dense_2.bias shape",
                "classifier.4.weight", "dense_3.weight shape", "classifier.4.bias", "dense_3.bias shape"), mapped);
    }

    /** Equal names map by name, --map by prefix, and num_batches_tracked is ignored. */
    @Test
    void namesAndMapsAndIgnoredCounters() throws IOException {
        Path dir = root().resolve("bn_f32");
        StateDictImport.Result r = StateDictImport.read(dir.resolve("weights.safetensors"), dir.resolve("model.cnn"),
                maps(dir));
        Map<String, String> mapped = r.mappings().stream().collect(Collectors.toMap(StateDictImport.Mapping::tensor,
                m -> m.parameter() + " " + m.rule()));
        assertEquals("conv1.weight name", mapped.get("conv1.weight"));
        assertEquals("norm_a.running_var --map", mapped.get("bn1.running_var"));
        assertEquals("norm_b.weight --map", mapped.get("bn2.weight"));
        assertEquals("bn3.running_mean name", mapped.get("bn3.running_mean"));
        assertEquals(List.of("bn1.num_batches_tracked", "bn2.num_batches_tracked", "bn3.num_batches_tracked"),
                r.ignored().stream().sorted().toList());
    }

    /** Two batch norms alike (8 channels each) are never paired by guess: an error lists both sides. */
    @Test
    void alikeModulesNeedMap() {
        Path dir = root().resolve("bn_f32");
        Path manifest = out.resolve("w.weights.json");
        CompileException e = assertThrows(CompileException.class, () -> StateDictImport.write(
                dir.resolve("weights.safetensors"), dir.resolve("model.cnn"), List.of(), manifest));
        assertEquals(ErrorCode.IMPORT_WEIGHTS_MAPPING, e.diagnostics().get(0).code());
        String m = e.getMessage();
        assertTrue(m.contains("bn1.running_mean [8]") && m.contains("bn2.weight [8]"), m);
        assertTrue(m.contains("norm_a.running_mean [8]") && m.contains("norm_b.weight [8]"), m);
        assertTrue(m.contains("--map 'PYTORCH_PREFIX=LAYER'"), m);
        assertFalse(m.contains("conv1.weight"), "mapped tensors are not listed: " + m);
        assertFalse(Files.exists(manifest), "nothing written");
    }

    /**
     * A model imported from ONNX keeps PyTorch's module names, so a state_dict with those names maps
     * by name alone: the ONNX import's own weights, written as F32 safetensors, come back bit for bit.
     */
    @Test
    void onnxImportedModelMapsByName() throws IOException {
        Path onnx = root().resolve("../onnx/lenet_op13/model.onnx").normalize();
        OnnxImport.Written imported = OnnxImport.write(onnx, out, "LeNet");
        WeightSet weights = OnnxImport.read(onnx, "LeNet").weights();
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Tensor t : weights.tensors().values()) {
            ByteBuffer b = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : t.data()) {
                b.putFloat(v);
            }
            header.append(",\"").append(t.name()).append("\":{\"dtype\":\"F32\",\"shape\":")
                    .append(Arrays.toString(t.shape()).replace(" ", "")).append(",\"data_offsets\":[")
                    .append(data.size()).append(',').append(data.size() + b.capacity()).append("]}");
            data.write(b.array());
        }
        byte[] h = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        Path file = out.resolve("lenet.safetensors");
        Files.write(file, ByteBuffer.allocate(8 + h.length + data.size()).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data.toByteArray()).array());
        StateDictImport.Result r = StateDictImport.read(file, imported.model(), List.of());
        assertTrue(r.mappings().stream().allMatch(m -> m.rule().equals("name") && m.tensor().equals(m.parameter())),
                r.mappings().toString());
        assertEquals(weights.tensors().keySet(), r.weights().tensors().keySet());
        for (Tensor t : weights.tensors().values()) {
            assertArrayEquals(t.data(), r.weights().tensors().get(t.name()).data(), t.name());
        }
    }

    @Test
    void everyCaseIsListed() throws IOException {
        assertEquals(List.of("lenet_f32", "lenet_f16", "lenet_bf16", "bn_f32", "bn_bf16"), cases().toList());
    }

    private static float[] floats(JsonNode row) {
        float[] r = new float[row.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) row.get(i).asDouble();
        }
        return r;
    }
}
