package dev.striate.cli;

import dev.striate.CompileRequest;
import dev.striate.importer.onnx.OnnxImport;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Shared {@code --weights} option: the weights manifest, by default {@code <stem>.weights.json} beside the model. */
public final class WeightsOption {
    @Option(names = {"-w", "--weights"}, paramLabel = "W.weights.json",
            description = "The weights manifest (default: MODEL.weights.json beside the model file).")
    Path weights;

    /** The explicit manifest, or null for the default beside the model. */
    public Path weights() {
        return weights;
    }

    /** Refuses {@code --weights} for an ONNX or Keras model file, whose weights are inside it. */
    public void refuseForOnnx(CommandSpec spec, Path source) {
        if (weights != null && OnnxImport.isImported(source)) {
            throw new ParameterException(spec.commandLine(), "--weights does not apply to an ONNX model or a Keras model: its weights "
                    + "are inside it");
        }
    }

    /** The manifest to read for this model file. */
    public Path resolve(Path source) {
        return weights != null ? weights : besideModel(source);
    }

    /** {@code <stem>.weights.json} beside the model file: where weights live by default. */
    public static Path besideModel(Path source) {
        return CompileRequest.builder(source).build().weightsPath();
    }
}
