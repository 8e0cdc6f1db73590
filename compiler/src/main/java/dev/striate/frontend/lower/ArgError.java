package dev.striate.frontend.lower;

import dev.striate.diag.ErrorCode;

/** Why one argument value was rejected (wrong type or bad value); the binder adds the position. */
final class ArgError extends Exception {
    private final ErrorCode code;

    ArgError(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    ErrorCode code() {
        return code;
    }
}
