package dev.striate.cli;

import dev.striate.importer.onnx.OnnxExport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code striate export --onnx}: runs {@link OnnxExport#write} and prints the file it wrote. */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        description = {"Exports a Striate model (.cnn) and its weights to another format. With --onnx, writes an "
                + "ONNX model that ONNX Runtime runs with the generated class's outputs: the weights as initializers, "
                + "a symbolic batch dimension, the class labels and the input preprocessing in its metadata "
                + "(striate.labels, striate.input_preprocessing).",
                "Layers without an ONNX operator are decomposed into standard ones (maxout: Reshape + ReduceMax; "
                + "untied_bias: Add; rescale and normalize: Mul/Add and Sub/Div; dropout: no node). "
                + "docs/import.md lists the mapping."},
        footerHeading = "%nExamples:%n",
        footer = {"  striate export --onnx examples/mnist/lenet5.cnn",
                "      (writes examples/mnist/lenet5.onnx)",
                "  striate export --onnx net.cnn -w trained.weights.json -o net.onnx --opset 13 --force"})
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs model;

    @Mixin
    WeightsOption weights;

    @Option(names = "--onnx", description = "Write ONNX (the one format so far; required).")
    boolean onnx;

    @Option(names = {"-o", "--out"}, paramLabel = "OUT.onnx",
            description = "The file to write (default: MODEL.onnx beside the model file).")
    Path out;

    @Option(names = "--opset", paramLabel = "N",
            description = "The ONNX opset to write, " + OnnxExport.MIN_OPSET + " to " + OnnxExport.MAX_OPSET
                    + " (default: " + OnnxExport.DEFAULT_OPSET + ").")
    int opset = OnnxExport.DEFAULT_OPSET;

    @Option(names = {"-f", "--force"}, description = "Replace an existing output file.")
    boolean force;

    @Override
    public Integer call() {
        if (!onnx) {
            throw new ParameterException(spec.commandLine(), "choose the format to export: --onnx");
        }
        if (opset < OnnxExport.MIN_OPSET || opset > OnnxExport.MAX_OPSET) {
            throw new ParameterException(spec.commandLine(), "--opset must be " + OnnxExport.MIN_OPSET + " to "
                    + OnnxExport.MAX_OPSET + ", got " + opset);
        }
        OnnxExport.Written written = OnnxExport.write(model.source(), model.modelName(), weights.weights(),
                model.limits(), out, opset, force);
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + written.file() + ": opset " + opset + ", " + written.nodes() + " nodes, "
                + written.initializers() + " initializers, " + Reports.count(written.bytes()) + " bytes");
        o.flush();
        return ExitCodes.OK;
    }
}
