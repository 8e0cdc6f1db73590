package dev.striate.weights;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads and writes Striate's weights format: a JSON manifest ({@code *.weights.json}) and a
 * little-endian float32 blob ({@code *.weights.bin}) beside it; see the README for the format.
 */
public final class WeightsFile {
    private WeightsFile() {
    }

    /**
     * @throws WeightsException for a malformed manifest or blob, naming the tensor at fault
     * @throws IOException      when a file cannot be read
     */
    public static WeightSet read(Path manifest) throws IOException {
        throw new UnsupportedOperationException("TODO weights");
    }

    /** Writes the manifest and its blob atomically (temporary files, then rename). */
    public static void write(Path manifest, WeightSet weights) throws IOException {
        throw new UnsupportedOperationException("TODO weights");
    }
}
