package dev.striate.weights;

import dev.striate.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

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
     * How much a read may take in, checked before anything is allocated for it.
     *
     * @param maxTensorBytes   the most bytes all tensors of a manifest may take as float32 (blob
     *                         and inline together; a range listed twice counts twice)
     * @param maxManifestBytes the largest manifest file (its JSON tree takes several times its size)
     * @param ceilingName      how messages name the setting that raises the ceiling ({@code
     *                         --max-weights-bytes} on the command line, {@code <maxWeightsBytes>} in
     *                         the Maven plugin), or null to leave it out
     */
    public record ReadLimits(long maxTensorBytes, long maxManifestBytes, String ceilingName) {
        /** The command line's name for the setting that raises the ceiling. */
        public static final String DEFAULT_CEILING_NAME = "--max-weights-bytes";
        /** How {@link #of(long)} derives the manifest limit, as messages print it with the default ceiling name. */
        public static final String RULE = rule(DEFAULT_CEILING_NAME);

        public ReadLimits {
            if (maxTensorBytes < 0 || maxManifestBytes < 0) {
                throw new IllegalArgumentException("limits must not be negative: " + maxTensorBytes + ", "
                        + maxManifestBytes);
            }
        }

        /** Limits whose messages name the command line's {@link #DEFAULT_CEILING_NAME}. */
        public ReadLimits(long maxTensorBytes, long maxManifestBytes) {
            this(maxTensorBytes, maxManifestBytes, DEFAULT_CEILING_NAME);
        }

        /** How {@link #of(long)} derives the manifest limit, as messages print it. */
        public String rule() {
            return rule(ceilingName);
        }

        private static String rule(String ceilingName) {
            return "a manifest may take 1/8 of the weights ceiling, or 1 MiB if that is more; the ceiling is "
                    + (ceilingName == null ? "" : ceilingName + ", ") + "by default a quarter of the JVM's maximum heap";
        }

        /**
         * A ceiling of {@code maxBytes} for the tensors and {@code maxBytes / 8} for the manifest
         * file (parsed, a JSON number such as {@code 0.0,} takes up to 7 times the bytes of its
         * text, so the manifest's tree stays within the ceiling too), but at least 1 MiB for the
         * manifest, so that a small ceiling is reported as too many weights, not as a long manifest.
         */
        public static ReadLimits of(long maxBytes) {
            return of(maxBytes, DEFAULT_CEILING_NAME);
        }

        /** {@link #of(long)}, with messages naming the ceiling's setting {@code ceilingName} (null: not at all). */
        public static ReadLimits of(long maxBytes, String ceilingName) {
            return new ReadLimits(maxBytes, Math.max(maxBytes / 8, MIN_MANIFEST_BYTES), ceilingName);
        }

        /** The manifest limit never goes below this (1 MiB). */
        public static final long MIN_MANIFEST_BYTES = 1 << 20;

        /**
         * The default: {@link #of(long)} a quarter of {@code Runtime.getRuntime().maxMemory()}
         * (the JVM's {@code -Xmx}, or the default heap). The values are held as float32 once, and
         * the compiler encodes them once more into the generated resource, so a quarter leaves
         * room for both and for the rest of the build (the Maven plugin runs inside the user's
         * Maven JVM).
         */
        public static ReadLimits defaults() {
            long heap = Runtime.getRuntime().maxMemory();
            return of(heap == Long.MAX_VALUE ? Long.MAX_VALUE : heap / 4);
        }
    }

    /**
     * Reads a manifest and its blob with the {@linkplain ReadLimits#defaults() default limits},
     * checking everything {@code docs/weights.md} lists.
     *
     * @throws WeightsException        for a malformed manifest, a truncated or corrupted blob,
     *                                 non-finite values (naming the tensor at fault), a data file
     *                                 outside the manifest's folder or not a regular file, or a
     *                                 manifest over the limits
     * @throws java.nio.file.NoSuchFileException when the manifest does not exist
     * @throws IOException             when a file cannot be read
     */
    public static WeightSet read(Path manifest) throws IOException {
        return read(manifest, ReadLimits.defaults());
    }

    /**
     * Reads a manifest whose tensors may take at most {@code maxBytes} bytes as float32 (and whose
     * manifest file may be at most {@code maxBytes / 8} bytes); see {@link ReadLimits#of(long)}.
     */
    public static WeightSet read(Path manifest, long maxBytes) throws IOException {
        return read(manifest, ReadLimits.of(maxBytes));
    }

    /** Reads a manifest and its blob within {@code limits}; see {@link #read(Path)}. */
    public static WeightSet read(Path manifest, ReadLimits limits) throws IOException {
        return ManifestReader.read(manifest, limits);
    }

    /**
     * The real path of the data file a manifest names, when the manifest reads as JSON within the
     * default limits and its {@code data} field obeys the rules {@link #read(Path)} enforces (a
     * regular file inside the manifest's folder after resolving links); empty otherwise. For
     * tools that track a model's input files without reading the weights.
     */
    public static Optional<Path> dataFile(Path manifest) {
        try {
            return Optional.ofNullable(ManifestReader.dataFile(manifest, ReadLimits.defaults()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
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
