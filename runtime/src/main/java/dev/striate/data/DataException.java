package dev.striate.data;

import java.io.IOException;

/**
 * A data file or folder that cannot be used as a data set: a bad IDX header, a truncated file,
 * an unreadable image, a missing MNIST cache. The message names the file and says what to do.
 */
public final class DataException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An error with the given message. */
    public DataException(String message) {
        super(message);
    }

    /** An error with the given message, caused by {@code cause}. */
    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
