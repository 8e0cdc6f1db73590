package dev.striate;

/**
 * The resource ceilings of one compilation, so that a hostile or mistaken model is refused with
 * a positioned error before it exhausts the memory of the JVM running Striate (for the Maven
 * plugin, the user's build). The defaults are derived from that JVM's maximum heap
 * ({@link Runtime#maxMemory()}); each can be raised with a command-line flag or a plugin
 * parameter.
 *
 * @param maxParams           most parameters (stored floats) a model may declare
 *                            ({@code --max-params}, default: max heap / 16 bytes)
 * @param maxActivationFloats most floats in one value (layer output) of the model, and in the
 *                            scratch buffers of its forward pass together
 *                            ({@code --max-activation-floats}, default: max heap / 8 bytes)
 * @param maxWeightsBytes     largest weights file (manifest or blob) read
 *                            ({@code --max-weights-bytes}, default: max heap / 4)
 */
public record Limits(long maxParams, long maxActivationFloats, long maxWeightsBytes) {
    /** The flag (and, without the dashes, the plugin parameter's property suffix) raising each ceiling. */
    public static final String MAX_PARAMS_FLAG = "--max-params";
    public static final String MAX_ACTIVATION_FLOATS_FLAG = "--max-activation-floats";
    public static final String MAX_WEIGHTS_BYTES_FLAG = "--max-weights-bytes";

    public Limits {
        if (maxParams < 1 || maxActivationFloats < 1 || maxWeightsBytes < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxParams + ", " + maxActivationFloats
                    + ", " + maxWeightsBytes);
        }
    }

    /** The defaults for this JVM's maximum heap. */
    public static Limits defaults() {
        return forMaxMemory(Runtime.getRuntime().maxMemory());
    }

    /**
     * The defaults for a JVM whose heap may grow to {@code maxMemory} bytes: a parameter costs
     * about 16 bytes while compiling (the parsed tensor, the optimized copy, the blob and its
     * bytes), so a model may declare one parameter per 16 bytes of heap; one value or the scratch
     * of the forward pass may take half the heap as floats; a weights file may be a quarter of it.
     */
    public static Limits forMaxMemory(long maxMemory) {
        long heap = maxMemory == Long.MAX_VALUE || maxMemory <= 0 ? 4L << 30 : maxMemory;
        return new Limits(Math.max(1, heap / 16), Math.max(1, heap / 8), Math.max(1, heap / 4));
    }

    /** These limits with the given values replacing the defaults; null keeps a value. */
    public Limits with(Long params, Long activationFloats, Long weightsBytes) {
        return new Limits(params != null ? params : maxParams,
                activationFloats != null ? activationFloats : maxActivationFloats,
                weightsBytes != null ? weightsBytes : maxWeightsBytes);
    }
}
