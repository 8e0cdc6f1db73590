package dev.striate;

/**
 * A setting of a compilation that a message may tell the user to change ("raise it with ...").
 * The compiler's messages do not spell these settings themselves: each front end names them in
 * its own terms through {@link OptionNames} (the command line by its flags, the Maven plugin by
 * its parameters), so one message text serves every front end.
 */
public enum CompileOption {
    /** The ceiling on declared parameters ({@link Limits#maxParams()}). */
    MAX_PARAMS(Limits.MAX_PARAMS_FLAG),
    /** The ceiling on the floats of one value and of the forward pass's scratch ({@link Limits#maxActivationFloats()}). */
    MAX_ACTIVATION_FLOATS(Limits.MAX_ACTIVATION_FLOATS_FLAG),
    /** The ceiling on a weights file's size ({@link Limits#maxWeightsBytes()}). */
    MAX_WEIGHTS_BYTES(Limits.MAX_WEIGHTS_BYTES_FLAG),
    /** Embedding the weights in the generated source ({@link CompileRequest#singleFile()}). */
    SINGLE_FILE("--single-file"),
    /** Where the weights manifest is ({@link CompileRequest#weights()}). */
    WEIGHTS("--weights");

    private final String flag;

    CompileOption(String flag) {
        this.flag = flag;
    }

    /** The command-line flag that sets this option. */
    public String flag() {
        return flag;
    }
}
