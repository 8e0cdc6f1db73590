package dev.striate.spark;

/**
 * A mistake in how Striate is called from Spark (a class not on the class path, a column of the
 * wrong type, an image that does not decode, training settings that cannot run), with its code
 * from docs/errors.md (E801-E806) at the end of the message, as every Striate error prints it.
 */
public final class StriateSparkException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    StriateSparkException(String code, String message) {
        super(message + " [" + code + "]");
        this.code = code;
    }

    StriateSparkException(String code, String message, Throwable cause) {
        super(message + " [" + code + "]", cause);
        this.code = code;
    }

    /** The error code, {@code E801}...{@code E806}. */
    public String code() {
        return code;
    }

    static final String MODEL_CLASS = "E801";
    static final String COLUMN = "E802";
    static final String IMAGE = "E803";
    static final String TRAINING = "E804";
    static final String CHECKPOINT = "E805";
    static final String EXCHANGE = "E806";
}
