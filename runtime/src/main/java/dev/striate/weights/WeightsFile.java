package dev.striate.weights;

import dev.striate.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads and writes Striate's weights format: a JSON manifest ({@code *.weights.json}) and a
 * little-endian float32 blob ({@code *.weights.bin}) beside it; see {@code docs/weights.md}.
 */
public final class WeightsFile {
    /** The manifest's {@code format} value. */
    public static final String FORMAT = "striate-weights";
    /** The only manifest version this runtime reads and writes. */
    public static final int VERSION = 1;
    /** The only supported dtype. */
    public static final String DTYPE = "float32";

    private static final String MANIFEST_SUFFIX = ".weights.json";

    private WeightsFile() {
    }

    /**
     * Reads a manifest and its blob, checking everything {@code docs/weights.md} lists.
     *
     * @throws WeightsException        for a malformed manifest, a truncated or corrupted blob or
     *                                 non-finite values, naming the tensor at fault
     * @throws java.nio.file.NoSuchFileException when the manifest does not exist
     * @throws IOException             when a file cannot be read
     */
    public static WeightSet read(Path manifest) throws IOException {
        return ManifestReader.read(manifest);
    }

    /** Writes the manifest and its blob atomically (temporary files, then rename), all tensors in the blob. */
    public static void write(Path manifest, WeightSet weights) throws IOException {
        write(manifest, weights, WriteOptions.DEFAULT);
    }

    /**
     * Writes the manifest and, unless every tensor is inline, the blob named by
     * {@link #dataFileName(Path)}. Same tensors and options, byte-identical files. Each file
     * is written to a temporary file in the same directory and renamed into place, the blob
     * first, so a reader never sees a half-written file.
     *
     * @throws WeightsException when a tensor holds NaN or infinite values (nothing is written)
     */
    public static void write(Path manifest, WeightSet weights, WriteOptions options) throws IOException {
        String dataName = dataFileName(manifest);
        ManifestWriter.Output out = ManifestWriter.render(weights, dataName, options);
        Path dir = manifest.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (out.blob() != null) {
            writeAtomically(dir.resolve(dataName), out.blob());
        }
        writeAtomically(manifest.toAbsolutePath(), out.manifest());
    }

    /**
     * The blob's file name for a manifest: {@code model.weights.json -> model.weights.bin}; a
     * manifest not named {@code *.weights.json} loses a {@code .json} suffix if it has one,
     * then gains {@code .weights.bin}.
     */
    public static String dataFileName(Path manifest) {
        String name = manifest.getFileName().toString();
        String base;
        if (name.endsWith(MANIFEST_SUFFIX)) {
            base = name.substring(0, name.length() - MANIFEST_SUFFIX.length());
        } else if (name.endsWith(".json")) {
            base = name.substring(0, name.length() - ".json".length());
        } else {
            base = name;
        }
        return base + ".weights.bin";
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        AtomicFiles.write(target, content);
    }
}
