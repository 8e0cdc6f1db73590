package dev.striate.importer.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.importer.GoldenOutputs;
import dev.striate.importer.onnx.OnnxImport;
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
 * Differential test of the Keras importer against PyTorch: every model of
 * {@code tools/reference/generate_keras.py} (Keras 3 {@code .keras} and Keras 2 {@code .h5} files
 * written with h5py in Keras's layouts; golden outputs computed on channels-last tensors with
 * Keras's semantics) is imported, compiled in memory and run on the golden inputs; outputs must
 * match within {@code atol + rtol * |expected|} (1e-5, 1e-4).
 */
class KerasFixturesTest {
    @TempDir
    Path out;

    static Path root() {
        try {
            return Path.of(KerasFixturesTest.class.getResource("/keras/cases.txt").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> cases() throws IOException {
        return Files.readAllLines(root().resolve("cases.txt")).stream().map(String::strip).filter(s -> !s.isEmpty());
    }

    static Path modelFile(String name) throws IOException {
        try (Stream<Path> files = Files.list(root().resolve(name))) {
            return files.filter(KerasImport::isKeras).findFirst().orElseThrow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void importedModelMatchesKerasSemantics(String name) throws IOException {
        Path dir = root().resolve(name);
        OnnxImport.Written files = OnnxImport.write(modelFile(name), out, null);
        GoldenOutputs.check(name, "keras." + name, files, dir.resolve("golden.json"));
    }

    /** The MNIST CNN is a chain: stack form, Keras's layer names, the input [1, 28, 28], comments per layer. */
    @Test
    void sequentialIsWrittenAsStack() throws IOException {
        for (String c : List.of("mnist_cnn_keras3", "mnist_cnn_keras2")) {
            String source = OnnxImport.read(modelFile(c), "Digits").source();
            assertTrue(source.contains("model Digits {"), source);
            assertTrue(source.contains("input image: [1, 28, 28]"), source);
            assertFalse(source.contains(" = "), source);
            assertTrue(source.contains("conv2d(4, kernel=3, activation=relu, name=\"conv2d\")"), source);
            assertTrue(source.contains("maxpool(2)"), source);
            assertTrue(source.contains("dense(10, activation=softmax, name=\"dense_1\")"), source);
            assertTrue(source.contains("// conv2d_1 (Conv2D)"), source);
            assertTrue(source.contains("dropout (Dropout)"), source);
            assertTrue(source.contains(c.endsWith("3") ? "(Keras 3.15.0, .keras format)"
                    : "(Keras 2.15.0, legacy HDF5 .h5 format)"), source);
        }
    }

    /** A Functional model with branches is written with named values; Keras's defaults are carried over. */
    @Test
    void functionalIsWrittenWithNamedValues() throws IOException {
        String source = OnnxImport.read(modelFile("residual_keras3"), null).source();
        assertTrue(source.contains("model Model {"), source);
        assertTrue(source.contains("v_add = add(stem_relu, pw)"), source);
        assertTrue(source.contains("batchnorm(stem, epsilon=0.001, momentum=0.01, name=\"stem_bn\")"), source);
        assertTrue(source.contains("conv2d(v_add, 6, kernel=3, stride=2, padding=same, activation=relu"), source);
        assertTrue(source.contains("    output probs"), source);
    }

    /**
     * Keras 3's legacy .h5 writer (weight names without ':0', a top_level_model_weights group) and tf.keras
     * 2.13's .keras archive (layers under _layer_checkpoint_dependencies, a layer with variables using up two
     * numbers: conv2d, conv2d_2, dense, dense_2) are read as those versions; their outputs are checked by
     * importedModelMatchesKerasSemantics.
     */
    @Test
    void otherKerasVersionsLayoutsAreRead() throws IOException {
        String h5 = OnnxImport.read(modelFile("small_bn_keras3_h5"), null).source();
        assertTrue(h5.contains("(Keras 3.15.0, legacy HDF5 .h5 format)"), h5);
        assertTrue(h5.contains("batchnorm(epsilon=0.001, momentum=0.01, name=\"batch_normalization\")"), h5);
        String tf = OnnxImport.read(modelFile("small_cnn_tf_keras213"), null).source();
        assertTrue(tf.contains("(Keras 2.13.1, .keras format)"), tf);
        assertTrue(tf.contains("dense(3, activation=softmax, name=\"dense_1\")"), tf);
    }

    @Test
    void everyCaseIsListed() throws IOException {
        assertEquals(List.of("mnist_cnn_keras3", "mnist_cnn_keras2", "residual_keras3", "zoo_keras2",
                "small_bn_keras3_h5", "small_cnn_tf_keras213"), cases().toList());
    }
}
