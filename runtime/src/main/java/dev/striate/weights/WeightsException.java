package dev.striate.weights;

/** A weights file that is malformed, truncated, corrupted or holds non-finite values. */
public final class WeightsException extends RuntimeException {
    /** What is wrong, so that front ends can map it to a diagnostic code. */
    public enum Kind {
        MALFORMED,
        CORRUPT,
        NON_FINITE
    }

    private final Kind kind;
    private final String tensor;

    public WeightsException(Kind kind, String tensor, String message) {
        super(message);
        this.kind = kind;
        this.tensor = tensor;
    }

    public Kind kind() {
        return kind;
    }

    /** The tensor at fault, or null when the problem is with the file as a whole. */
    public String tensor() {
        return tensor;
    }
}
