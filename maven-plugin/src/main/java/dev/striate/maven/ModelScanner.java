package dev.striate.maven;

import dev.striate.text.NameRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the {@code .cnn} models under a source directory, sorted by path so that builds are
 * repeatable, and derives each model's package from its folder.
 */
public final class ModelScanner {
    /** The extension of Striate model files. */
    public static final String EXTENSION = ".cnn";

    private ModelScanner() {
    }

    /** Every {@code .cnn} file under {@code root}, sorted; empty when {@code root} does not exist. */
    public static List<ModelSource> scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<ModelSource> models = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.getFileName().toString().endsWith(EXTENSION) && Files.isRegularFile(f))
                    .sorted(Comparator.comparing(f -> root.relativize(f).toString().replace('\\', '/')))
                    .forEach(f -> {
                        Path rel = root.relativize(f);
                        models.add(new ModelSource(f, rel, folderPackage(rel)));
                    });
        }
        return List.copyOf(models);
    }

    /** {@code com.acme} for {@code com/acme/model.cnn}, {@code ""} for {@code model.cnn}. */
    public static String folderPackage(Path relativePath) {
        Path parent = relativePath.getParent();
        if (parent == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (Path part : parent) {
            parts.add(part.toString());
        }
        return String.join(".", parts);
    }

    /** Why {@code name} cannot be the package of a generated class ({@link NameRules}), or null when it can. */
    public static String packageProblem(String name) {
        return NameRules.packageNameProblem(name);
    }
}
