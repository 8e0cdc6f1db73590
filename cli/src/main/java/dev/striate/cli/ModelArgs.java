package dev.striate.cli;

import dev.striate.Limits;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Shared options naming the model: the {@code .cnn} file and, when it holds several, which model;
 * and the resource ceilings ({@link Limits}) that every command loading a model enforces.
 */
public final class ModelArgs {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.cnn", description = "The model source file.")
    Path source;

    @Option(names = "--model", paramLabel = "NAME",
            description = "The model to use when the file holds several (default: the file's only model).")
    String modelName;

    private Long maxParams;
    private Long maxActivationFloats;
    private Long maxWeightsBytes;

    @Option(names = Limits.MAX_PARAMS_FLAG, paramLabel = "N",
            description = "Refuse models declaring more than N parameters (default: the JVM's max heap / 16).")
    void maxParams(long n) {
        maxParams = positive(n, Limits.MAX_PARAMS_FLAG);
    }

    @Option(names = Limits.MAX_ACTIVATION_FLOATS_FLAG, paramLabel = "N",
            description = "Refuse models with a layer output, or forward-pass scratch, of more than N floats "
                    + "(default: the JVM's max heap / 8).")
    void maxActivationFloats(long n) {
        maxActivationFloats = positive(n, Limits.MAX_ACTIVATION_FLOATS_FLAG);
    }

    @Option(names = Limits.MAX_WEIGHTS_BYTES_FLAG, paramLabel = "BYTES",
            description = "Refuse weights files larger than BYTES (default: the JVM's max heap / 4).")
    void maxWeightsBytes(long n) {
        maxWeightsBytes = positive(n, Limits.MAX_WEIGHTS_BYTES_FLAG);
    }

    public Path source() {
        return source;
    }

    public String modelName() {
        return modelName;
    }

    /** The ceilings: this JVM's defaults, raised or lowered by the flags given. */
    public Limits limits() {
        return Limits.defaults().with(maxParams, maxActivationFloats, maxWeightsBytes);
    }

    private long positive(long n, String flag) {
        if (n < 1) {
            throw new ParameterException(spec.commandLine(), flag + " must be at least 1, got " + n);
        }
        return n;
    }
}
