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
public final class CnnWriter {
    private static final int COMMENT_COLUMN = 56;
    /** Words a value cannot be named: the language's keywords and the layer names. */
    public static final java.util.Set<String> RESERVED = Translator.RESERVED;

    private CnnWriter() {
    }

    static String write(String modelName, String header, Value input, List<Layer> layers, Value output,
                        List<String> omitted, List<String> labels) {
        return write(modelName, header, input.id(), input.shape(), layers, output.id(), omitted, labels);
    }

    /**
     * The model's text: {@code header} lines as comments, the input {@code inputId: shape}, the
     * layers (stack form for a chain), the output and the list of {@code omitted} source nodes.
     */
    public static String write(String modelName, String header, String inputId, int[] inputShape, List<Layer> layers,
                               String outputId, List<String> omitted) {
        return write(modelName, header, inputId, inputShape, layers, outputId, omitted, List.of());
    }

    /** As above, with the model's class {@code labels} (none when empty). */
    static String write(String modelName, String header, String inputId, int[] inputShape, List<Layer> layers,
                        String outputId, List<String> omitted, List<String> labels) {
        StringBuilder sb = new StringBuilder();
        for (String line : header.split("\n")) {
            sb.append("// ").append(line).append('\n');
        }
        sb.append("model ").append(modelName).append(" {\n");
        sb.append("    input ").append(inputId).append(": ").append(dims(inputShape)).append('\n');
        boolean chain = isChain(inputId, layers, outputId);
        for (Layer l : layers) {
            String statement = chain ? l.call() : l.value() + " = " + l.callWithInputs();
            sb.append(padded("    " + statement)).append("// ").append(JavaText.comment(l.source())).append('\n');
        }
        if (!chain) {
            sb.append("    output ").append(outputId).append('\n');
        }
        if (!labels.isEmpty()) {
            sb.append("    ").append(OnnxLabels.statement(labels)).append('\n');
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
    static boolean isChain(String inputId, List<Layer> layers, String outputId) {
        if (layers.isEmpty() || !layers.get(layers.size() - 1).value().equals(outputId)) {
            return false;
        }
        Map<String, Integer> reads = new HashMap<>();
        for (Layer l : layers) {
            for (String in : l.inputs()) {
                reads.merge(in, 1, Integer::sum);
            }
        }
        String previous = inputId;
        for (Layer l : layers) {
            if (l.inputs().size() != 1 || !l.inputs().get(0).equals(previous) || reads.get(previous) != 1) {
                return false;
            }
            previous = l.value();
        }
        return true;
    }

    /**
     * A layer name for {@code base} (a source layer's or module's name): letters, digits, {@code _}
     * and {@code .} kept, other runs replaced by {@code _}, at most 200 characters,
     * {@code fallback} when nothing is left, made unique in {@code taken} with {@code _2}, {@code _3}...
     */
    public static String layerName(String base, String fallback, java.util.Set<String> taken) {
        base = base.replaceAll("[^A-Za-z0-9_.]+", "_");
        if (base.length() > 200) {
            base = base.substring(0, 200);
        }
        if (base.isEmpty() || base.equals("_")) {
            base = fallback;
        }
        String name = base;
        for (int k = 2; !taken.add(name); k++) {
            name = base + "_" + k;
        }
        return name;
    }

    static String dims(int[] shape) {
        return java.util.Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
