package dev.striate.importer.onnx;

import java.util.List;

/**
 * One statement of the imported model: a layer call without its inputs ({@code conv2d(4,
 * kernel=5, name="conv1")}), the values it reads, the value it defines, and the ONNX node it
 * comes from (for the comment). Shared with the Keras importer.
 *
 * @param value the identifier of the value it defines
 * @param call the call as written in a stack statement (no input names)
 * @param op the layer keyword ({@code conv2d}), to splice input names into the call
 * @param inputs identifiers of the values it reads, in order
 * @param source the ONNX node, as {@code name (OpType)}
 */
public record Layer(String value, String call, String op, List<String> inputs, String source) {

    /** The call with its inputs as leading positional arguments: {@code conv2d(x, 4, kernel=5)}. */
    public String callWithInputs() {
        String args = call.length() > op.length() ? call.substring(op.length() + 1, call.length() - 1) : "";
        String joined = String.join(", ", inputs);
        return op + "(" + joined + (args.isEmpty() ? "" : ", " + args) + ")";
    }
}
