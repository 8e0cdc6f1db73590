package dev.striate.cli;

/** The exit codes of every {@code striate} command. */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The user's model, weights or options are wrong; diagnostics say what to fix. */
    public static final int USER_ERROR = 1;
    /** A bug in Striate: an unexpected exception, printed with its stack trace. */
    public static final int INTERNAL_ERROR = 2;

    private ExitCodes() {
    }
}
