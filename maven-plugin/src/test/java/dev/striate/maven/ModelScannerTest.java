package dev.striate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelScannerTest {
    @TempDir
    Path root;

    @Test
    void findsModelsSortedWithTheirFolderPackage() throws IOException {
        touch("zeta.cnn");
        touch("com/acme/digits.cnn");
        touch("com/acme/digits.weights.json");
        touch("com/acme/notes.txt");
        touch("com/b.cnn");
        touch("com/lenet.onnx");

        List<ModelSource> models = ModelScanner.scan(root);

        assertEquals(List.of("com/acme/digits.cnn", "com/b.cnn", "com/lenet.onnx", "zeta.cnn"),
                models.stream().map(ModelSource::displayPath).toList());
        assertEquals(List.of("com.acme", "com", "com", ""), models.stream().map(ModelSource::folderPackage).toList());
        assertEquals(root.resolve("com/acme/digits.cnn"), models.get(0).file());
    }

    @Test
    void includesAndExcludesAreAntPatternsRelativeToTheRoot() throws IOException {
        touch("zeta.cnn");
        touch("com/acme/digits.cnn");
        touch("com/acme/draft/edges.cnn");
        touch("com/b.cnn");

        assertEquals(List.of("com/acme/digits.cnn", "com/acme/draft/edges.cnn"),
                paths(ModelScanner.scan(root, List.of("com/acme/**"), List.of())));
        assertEquals(List.of("com/acme/digits.cnn", "com/b.cnn", "zeta.cnn"),
                paths(ModelScanner.scan(root, List.of(), List.of("**/draft/**"))));
        assertEquals(List.of("com/b.cnn"),
                paths(ModelScanner.scan(root, List.of("com/*.cnn", "com/acme/draft/*"), List.of("**/edges.cnn"))));
    }

    @Test
    void onlyModelFilesAreModelsWhateverThePatterns() throws IOException {
        touch("m.cnn");
        touch("m.weights.json");
        touch("notes.txt");
        touch(".git/hooks/x.cnn");

        assertEquals(List.of("m.cnn"), paths(ModelScanner.scan(root, List.of("**/*"), List.of())),
                "weights, other files and version-control folders are never models");
    }

    private static List<String> paths(List<ModelSource> models) {
        return models.stream().map(ModelSource::displayPath).toList();
    }

    @Test
    void aMissingSourceDirectoryHasNoModels() throws IOException {
        assertEquals(List.of(), ModelScanner.scan(root.resolve("absent")));
    }

    @Test
    void packageNamesMustBeJavaNames() {
        assertNull(ModelScanner.packageProblem(""));
        assertNull(ModelScanner.packageProblem("com.acme.v2"));
        assertNotNull(ModelScanner.packageProblem("my-models"));
        assertNotNull(ModelScanner.packageProblem("com.new"));
        assertNotNull(ModelScanner.packageProblem("2d"));
        assertNotNull(ModelScanner.packageProblem("com.\u00fcber"), "non-ASCII folder names are refused");
        assertNotNull(ModelScanner.packageProblem("a..b"));
        assertNotNull(ModelScanner.packageProblem("java.util"), "java.* belongs to the JDK");
    }

    private void touch(String rel) throws IOException {
        Path f = root.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x");
    }
}
