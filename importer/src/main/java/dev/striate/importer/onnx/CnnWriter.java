package dev.striate.importer.onnx;

import dev.striate.importer.onnx.Translator.Value;
import dev.striate.text.JavaText;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints the imported layers as a {@code .cnn} model: stack statements when the graph is a chain
 * (each layer reads the one before it, and only it reads it), named values otherwise; every
 * layer's line ends with a comment naming the ONNX node it comes from.
 */
final class CnnWriter {
    private static final int COMMENT_COLUMN = 56;

    private CnnWriter() {
    }

    static String write(String modelName, String header, Value input, List<Layer> layers, Value output,
                        List<String> omitted) {
        StringBuilder sb = new StringBuilder();
        for (String line : header.split("\n")) {
            sb.append("// ").append(line).append('\n');
        }
        sb.append("model ").append(modelName).append(" {\n");
        sb.append("    input ").append(input.id()).append(": ").append(dims(input.shape())).append('\n');
        boolean chain = isChain(input, layers, output);
        for (Layer l : layers) {
            String statement = chain ? l.call() : l.value() + " = " + l.callWithInputs();
            sb.append(padded("    " + statement)).append("// ").append(JavaText.comment(l.source())).append('\n');
        }
        if (!chain) {
            sb.append("    output ").append(output.id()).append('\n');
        }
        if (!omitted.isEmpty()) {
            StringBuilder line = new StringBuilder("    // Not layers (constants folded at import, identities at inference):");
            for (String o : omitted) {
                String item = " " + JavaText.comment(o) + ",";
                if (line.length() + item.length() > 100) {
                    sb.append(line).append('\n');
                    line = new StringBuilder("    //");
                }
                line.append(item);
            }
            sb.append(line, 0, line.length() - 1).append('\n');
        }
        sb.append("}\n");
        return sb.toString();
    }

    private static String padded(String statement) {
        return statement.length() < COMMENT_COLUMN ? statement + " ".repeat(COMMENT_COLUMN - statement.length())
                : statement + "  ";
    }

    /** True when each layer reads exactly the value before it, nothing else reads that, and the last is the output. */
    static boolean isChain(Value input, List<Layer> layers, Value output) {
        if (layers.isEmpty() || !layers.get(layers.size() - 1).value().equals(output.id())) {
            return false;
        }
        Map<String, Integer> reads = new HashMap<>();
        for (Layer l : layers) {
            for (String in : l.inputs()) {
                reads.merge(in, 1, Integer::sum);
            }
        }
        String previous = input.id();
        for (Layer l : layers) {
            if (l.inputs().size() != 1 || !l.inputs().get(0).equals(previous) || reads.get(previous) != 1) {
                return false;
            }
            previous = l.value();
        }
        return true;
    }

    static String dims(int[] shape) {
        return java.util.Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
