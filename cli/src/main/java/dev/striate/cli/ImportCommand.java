package dev.striate.cli;

import dev.striate.importer.onnx.OnnxImport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code striate import}: runs {@link OnnxImport#write} and prints the files it wrote. */
@Command(name = "import",
        mixinStandardHelpOptions = true,
        description = {"Imports a model trained elsewhere as a readable Striate model (.cnn) and weights "
                + "(.weights.json + .weights.bin), ready for striate compile.",
                "Reads ONNX files (from PyTorch: torch.onnx.export(model, example, \"model.onnx\")). "
                + "Unsupported operators are refused by name (docs/import.md lists what is supported)."},
        footerHeading = "%nExamples:%n",
        footer = {"  striate import lenet.onnx",
                "      (writes lenet.cnn, lenet.weights.json and lenet.weights.bin)",
                "  striate import net.onnx -o models --name Digits",
                "  striate compile models/net.cnn -p com.acme -o src/main/java",
                "  striate compile net.onnx -o src/main/java   (import and compile at once)"})
public final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model file.")
    Path model;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = ".",
            description = "Directory for the .cnn model and its weights (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The model's name, which names its generated class (default: from the file name, "
                    + "lenet_5.onnx -> Lenet5).")
    String name;

    @Override
    public Integer call() {
        OnnxImport.Written written = OnnxImport.write(model, out, name);
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + written.model());
        o.println("wrote " + written.weights());
        o.println("wrote " + written.blob());
        o.println("next: striate compile " + written.model());
        o.flush();
        return ExitCodes.OK;
    }
}
