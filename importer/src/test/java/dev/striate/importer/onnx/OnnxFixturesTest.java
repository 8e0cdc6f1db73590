package dev.striate.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.importer.GoldenOutputs;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test of the ONNX importer against PyTorch: every model of
 * {@code tools/reference/generate_onnx.py} (PyTorch exports at opsets 11, 13 and 17, and
 * onnx.helper graphs for auto_pad, MatMul+Add, Dropout and Identity) is imported, compiled
 * through the whole pipeline, compiled in memory and run on the golden inputs; outputs must match
 * PyTorch within {@code atol + rtol * |expected|} (1e-5, 1e-4).
 */
class OnnxFixturesTest {
    @TempDir
    Path out;

    static Path root() {
        try {
            return Path.of(OnnxFixturesTest.class.getResource("/onnx/cases.txt").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> cases() throws IOException {
        return Files.readAllLines(root().resolve("cases.txt")).stream().map(String::strip).filter(s -> !s.isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void importedModelMatchesPyTorch(String name) throws IOException {
        Path dir = root().resolve(name);
        OnnxImport.Written files = OnnxImport.write(dir.resolve("model.onnx"), out, null);
        GoldenOutputs.check(name, "onnx." + name, files, dir.resolve("golden.json"));
    }

    /** A chain is written in stack form, with PyTorch's module names as layer names and a comment per node. */
    @Test
    void chainIsWrittenAsStack() throws IOException {
        String source = OnnxImport.read(root().resolve("lenet_op13/model.onnx"), "LeNet").source();
        assertTrue(source.contains("model LeNet {"), source);
        assertFalse(source.contains(" = "), "a chain needs no named values:\n" + source);
        assertTrue(source.contains("conv2d(4, kernel=5, name=\"conv1\")"), source);
        assertTrue(source.contains("// /conv1/Conv (Conv)"), source);
        assertTrue(source.contains("dense(10, name=\"fc3\")"), source);
        assertFalse(source.contains("Shape") && !source.contains("//"), source);
    }

    /** A graph with a residual add is written with named values and an output statement. */
    @Test
    void graphIsWrittenWithNamedValues() throws IOException {
        String source = OnnxImport.read(root().resolve("residual_op13/model.onnx"), null).source();
        assertTrue(source.contains("model Model {"), source);
        assertTrue(source.matches("(?s).*\\w+ = add\\(\\w+, \\w+\\).*"), source);
        assertTrue(source.contains("    output "), source);
    }

    @Test
    void everyCaseIsListed() throws IOException {
        List<String> names = cases().toList();
        assertTrue(names.containsAll(List.of("lenet_op11", "lenet_op13", "lenet_op17", "residual_op11", "branches_op17",
                "grouped_op13", "mnist_cnn_op13", "fashion_cnn_op13", "alexnet_shaped_op17", "pools_op11", "heads_op11",
                "tf_same_op11", "tf_same_op13", "helper_op18", "helper_op21")), names.toString());
    }
}
