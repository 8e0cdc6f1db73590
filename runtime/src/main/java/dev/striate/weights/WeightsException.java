package dev.striate.weights;

/**
 * A weights file that is malformed, truncated, corrupted, too large, names a data file it may
 * not read, or holds non-finite values.
 */
public final class WeightsException extends RuntimeException {
    /** What is wrong, so that front ends can map it to a diagnostic code. */
    public enum Kind {
        MALFORMED,
        CORRUPT,
        NON_FINITE,
        /**
         * The manifest is not a regular file, or its {@code data} field does not name a regular
         * file inside the manifest's folder (absolute, {@code ..}, a link leading out, a device,
         * pipe or directory).
         */
        BAD_PATH,
        /** The manifest, or the tensors it lists, exceed the reader's {@link WeightsFile.ReadLimits}. */
        TOO_LARGE
    }

    private final Kind kind;
    private final String tensor;
    private final int line;
    private final int column;

    public WeightsException(Kind kind, String tensor, String message) {
        this(kind, tensor, message, 0, 0);
    }

    /** With the 1-based line and column in the manifest where the problem is (0 when unknown). */
    public WeightsException(Kind kind, String tensor, String message, int line, int column) {
        super(message);
        this.kind = kind;
        this.tensor = tensor;
        this.line = line;
        this.column = column;
    }

    /** The 1-based line of the manifest where the problem is, or 0 when the problem has no position. */
    public int line() {
        return line;
    }

    /** The 1-based column of the manifest where the problem is, or 0 when unknown. */
    public int column() {
        return column;
    }

    public Kind kind() {
        return kind;
    }

    /** The tensor at fault, or null when the problem is with the file as a whole. */
    public String tensor() {
        return tensor;
    }
}
