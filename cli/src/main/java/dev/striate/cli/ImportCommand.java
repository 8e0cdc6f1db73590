package dev.striate.cli;

import dev.striate.importer.onnx.OnnxImport;
import dev.striate.importer.safetensors.StateDictImport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code striate import}: runs {@link OnnxImport#write} (ONNX, Keras) or {@link StateDictImport#write}
 * (a PyTorch state_dict in safetensors, for an existing model) and prints the files it wrote.
 */
@Command(name = "import",
        mixinStandardHelpOptions = true,
        description = {"Imports a model trained elsewhere as a readable Striate model (.cnn) and weights "
                + "(.weights.json + .weights.bin), ready for striate compile.",
                "Reads ONNX files (from PyTorch: torch.onnx.export(model, example, \"model.onnx\")) and Keras models "
                + "(model.save(\"model.keras\"), or a Keras 2 model.save(\"model.h5\")): Sequential and Functional, "
                + "channels-last weights converted. Unsupported operators and layers are refused by name "
                + "(docs/import.md lists what is supported).",
                "With --model, reads a PyTorch state_dict saved as safetensors and writes weights for that .cnn model "
                + "(tensors map by name, then by unambiguous shapes, or by --map). PyTorch .pt/.pth checkpoints "
                + "are refused: export ONNX, or save the state_dict with safetensors.torch.save_file."},
        footerHeading = "%nExamples:%n",
        footer = {"  striate import lenet.onnx",
                "      (writes lenet.cnn, lenet.weights.json and lenet.weights.bin)",
                "  striate import net.onnx -o models --name Digits",
                "  striate compile models/net.cnn -p com.acme -o src/main/java",
                "  striate compile net.onnx -o src/main/java   (import and compile at once)",
                "  striate import mnist_cnn.keras     (or a Keras 2 mnist_cnn.h5)",
                "  striate import net.safetensors --model net.cnn",
                "      (PyTorch weights for net.cnn: writes net.weights.json and net.weights.bin)",
                "  striate import w.safetensors --model net.cnn --map features.0=conv2d_1"})
public final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx|MODEL.keras|MODEL.h5|WEIGHTS.safetensors",
            description = "The ONNX or Keras model, or a PyTorch state_dict saved as safetensors (with --model).")
    Path model;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR|W.weights.json",
            description = "ONNX, Keras: directory for the .cnn model and its weights (default: the current one). "
                    + "safetensors: the weights manifest (default: MODEL.weights.json beside the model).")
    Path out;

    @Option(names = "--model", paramLabel = "MODEL.cnn",
            description = "safetensors only: the Striate model the weights are for.")
    Path cnn;

    @Option(names = "--map", paramLabel = "PREFIX=LAYER",
            description = "safetensors only: tensors named PREFIX.<param> fill LAYER.<param> (repeatable).")
    List<String> maps;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The model's name, which names its generated class (default: from the file name, "
                    + "lenet_5.onnx -> Lenet5).")
    String name;

    @Override
    public Integer call() {
        if (StateDictImport.isCheckpoint(model)) {
            throw StateDictImport.refuseCheckpoint(model);
        }
        if (cnn != null || StateDictImport.isSafetensors(model)) {
            return importWeights();
        }
        if (maps != null) {
            throw new ParameterException(spec.commandLine(), "--map is for safetensors weights (with --model)");
        }
        OnnxImport.Written written = OnnxImport.write(model, out != null ? out : Path.of("."), name);
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + written.model());
        o.println("wrote " + written.weights());
        if (written.blob() != null) {
            o.println("wrote " + written.blob());
        }
        o.println("next: striate compile " + written.model());
        o.flush();
        return ExitCodes.OK;
    }

    private Integer importWeights() {
        if (cnn == null) {
            throw new ParameterException(spec.commandLine(), "a safetensors file holds weights only: give the model "
                    + "they are for with --model MODEL.cnn (or import an ONNX export, which holds both)");
        }
        if (name != null) {
            throw new ParameterException(spec.commandLine(), "--name is for ONNX imports; the model's name is the .cnn's");
        }
        StateDictImport.Written written = StateDictImport.write(model, cnn, maps, out);
        PrintWriter o = spec.commandLine().getOut();
        for (StateDictImport.Mapping m : written.result().mappings()) {
            o.println(m.tensor() + " -> " + m.parameter() + " (by " + m.rule() + ")");
        }
        if (!written.result().ignored().isEmpty()) {
            o.println("ignored: " + String.join(", ", written.result().ignored()));
        }
        o.println("wrote " + written.manifest());
        o.println("next: striate compile " + cnn + (out != null ? " -w " + written.manifest() : ""));
        o.flush();
        return ExitCodes.OK;
    }
}
