package dev.striate.maven;

import dev.striate.text.NameRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.codehaus.plexus.util.DirectoryScanner;

/**
 * Finds the {@code .cnn} models under a source directory (optionally narrowed by Ant-style
 * includes and excludes), sorted by path so that builds are repeatable, and derives each model's
 * package from its folder.
 */
public final class ModelScanner {
    /** The extension of Striate model files. */
    public static final String EXTENSION = ".cnn";
    /** The extension of ONNX models, which are imported ({@code striate import}) and then compiled. */
    public static final String ONNX_EXTENSION = ".onnx";
    /** The extensions of Keras models (Keras 3 archives, Keras 2 HDF5 files), imported the same way. */
    public static final List<String> KERAS_EXTENSIONS = List.of(".keras", ".h5");

    private ModelScanner() {
    }

    /** The models the plugin compiles by default: every {@code .cnn}, {@code .onnx}, {@code .keras} and {@code .h5} file at any depth. */
    public static final List<String> DEFAULT_INCLUDES = List.of("**/*" + EXTENSION, "**/*" + ONNX_EXTENSION,
            "**/*" + KERAS_EXTENSIONS.get(0), "**/*" + KERAS_EXTENSIONS.get(1));

    /** Every model file under {@code root}, sorted; empty when {@code root} does not exist. */
    public static List<ModelSource> scan(Path root) throws IOException {
        return scan(root, List.of(), List.of());
    }

    /**
     * The model files ({@code .cnn}, {@code .onnx}, {@code .keras}, {@code .h5}) under {@code root} that match one of {@code includes} (Ant-style
     * patterns relative to {@code root}; none means {@link #DEFAULT_INCLUDES}) and none of
     * {@code excludes} nor of the usual version-control files ({@code **}{@code /.git/**} ...),
     * sorted; empty when {@code root} does not exist. Patterns choose among the models only: a
     * file not ending in one of those (a weights manifest) is never taken for one.
     */
    public static List<ModelSource> scan(Path root, List<String> includes, List<String> excludes) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        DirectoryScanner scanner = new DirectoryScanner();
        scanner.setBasedir(root.toFile());
        scanner.setIncludes((includes == null || includes.isEmpty() ? DEFAULT_INCLUDES : includes)
                .toArray(new String[0]));
        if (excludes != null && !excludes.isEmpty()) {
            scanner.setExcludes(excludes.toArray(new String[0]));
        }
        scanner.addDefaultExcludes();
        scanner.setFollowSymlinks(false);
        try {
            scanner.scan();
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
        List<ModelSource> models = new ArrayList<>();
        Arrays.stream(scanner.getIncludedFiles())
                .map(Path::of)
                .filter(rel -> isModel(rel) && Files.isRegularFile(root.resolve(rel)))
                .sorted(Comparator.comparing(rel -> rel.toString().replace('\\', '/')))
                .forEach(rel -> models.add(new ModelSource(root.resolve(rel), rel, folderPackage(rel))));
        return List.copyOf(models);
    }

    private static boolean isModel(Path rel) {
        String name = rel.getFileName().toString();
        return name.endsWith(EXTENSION) || name.endsWith(ONNX_EXTENSION)
                || KERAS_EXTENSIONS.stream().anyMatch(name::endsWith);
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
