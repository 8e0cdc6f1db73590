package dev.striate.ir;

import dev.striate.diag.ErrorCode;

/**
 * Thrown by {@link Op#inferShape} when an op cannot accept its inputs; {@link InferShapes}
 * turns it into a diagnostic at the node's position.
 */
public final class ShapeException extends Exception {
    private final ErrorCode code;

    public ShapeException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
