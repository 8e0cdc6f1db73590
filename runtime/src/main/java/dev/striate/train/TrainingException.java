package dev.striate.train;

/**
 * A training run cannot start or continue for a reason the user can fix: no checkpoint to resume
 * from, a checkpoint of another model or configuration, a corrupted checkpoint, a model whose
 * sizes do not fit the data. The message says what is wrong without a stack trace.
 */
public final class TrainingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with a message for the user. */
    public TrainingException(String message) {
        super(message);
    }

    /** An error with a message for the user and the exception that caused it. */
    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
