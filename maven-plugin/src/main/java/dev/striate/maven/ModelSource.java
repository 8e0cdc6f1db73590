package dev.striate.maven;

import java.nio.file.Path;

/**
 * One {@code .cnn} model found under the plugin's source directory: where it is, its path
 * relative to that directory, and the package its folder implies ({@code com/acme/m.cnn} is in
 * {@code com.acme}).
 *
 * @param file          the model file
 * @param relativePath  the file relative to the source directory, used in messages and state
 * @param folderPackage the package named by the file's folder ({@code ""} at the top level)
 */
public record ModelSource(Path file, Path relativePath, String folderPackage) {

    /** The relative path with forward slashes, the same on every OS. */
    public String displayPath() {
        return relativePath.toString().replace('\\', '/');
    }
}
