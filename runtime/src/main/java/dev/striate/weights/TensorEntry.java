package dev.striate.weights;

import static dev.striate.weights.ManifestReader.malformed;
import static dev.striate.weights.ManifestReader.require;
import static dev.striate.weights.ManifestReader.requireString;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One validated entry of a manifest's {@code tensors} list: either inline {@code values} or a
 * byte range of the blob with its checksum. Parsing checks the fields, the dtype and that the
 * shape agrees with the number of values or bytes; it does not look at the blob.
 *
 * @param values inline values, or null for a blob tensor
 */
record TensorEntry(String name, int[] shape, float[] values, long offset, int length, String sha256) {

    boolean isInline() {
        return values != null;
    }

    static TensorEntry parse(JsonNode node, int index) {
        if (!node.isObject()) {
            throw malformed(null, "tensor #" + index + " must be a JSON object, got " + node);
        }
        JsonNode nameNode = node.get("name");
        if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isEmpty()) {
            throw malformed(null, "tensor #" + index + " has no \"name\"");
        }
        String name = nameNode.asText();
        int[] shape = shape(name, require(node, "shape", name));
        String dtype = requireString(node, "dtype", name);
        if (!dtype.equals(WeightsFile.DTYPE)) {
            throw malformed(name, name + ": unsupported dtype \"" + dtype + "\" (only \"" + WeightsFile.DTYPE
                    + "\" is supported)");
        }
        long count = 1;
        for (int d : shape) {
            count *= d;
            if (count * Float.BYTES > Integer.MAX_VALUE) {
                throw malformed(name, name + ": shape " + Arrays.toString(shape) + " is too large");
            }
        }
        JsonNode values = node.get("values");
        boolean blobFields = node.has("offset") || node.has("length") || node.has("sha256");
        if (values != null && blobFields) {
            throw malformed(name, name + ": give either inline \"values\" or \"offset\", \"length\" and \"sha256\", "
                    + "not both");
        }
        if (values != null) {
            return new TensorEntry(name, shape, inlineValues(name, shape, (int) count, values), 0, 0, null);
        }
        long offset = nonNegative(name, "offset", require(node, "offset", name));
        long length = nonNegative(name, "length", require(node, "length", name));
        String sha = requireString(node, "sha256", name).toLowerCase(Locale.ROOT);
        if (sha.length() != 64 || !sha.chars().allMatch(HexFormat::isHexDigit)) {
            throw malformed(name, name + ": \"sha256\" must be 64 hex digits, got \"" + sha + "\"");
        }
        if (length != count * Float.BYTES) {
            throw malformed(name, name + ": shape " + Arrays.toString(shape) + " needs " + count * Float.BYTES
                    + " bytes (" + count + " float32 values), but \"length\" is " + length);
        }
        return new TensorEntry(name, shape, null, offset, (int) length, sha);
    }

    private static int[] shape(String name, JsonNode node) {
        boolean ok = node.isArray() && !node.isEmpty();
        for (int i = 0; ok && i < node.size(); i++) {
            JsonNode d = node.get(i);
            ok = d.isIntegralNumber() && d.canConvertToInt() && d.asInt() > 0;
        }
        if (!ok) {
            throw malformed(name, name + ": \"shape\" must be a non-empty array of positive integers, got " + node);
        }
        int[] shape = new int[node.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = node.get(i).asInt();
        }
        return shape;
    }

    private static float[] inlineValues(String name, int[] shape, int count, JsonNode node) {
        if (!node.isArray()) {
            throw malformed(name, name + ": \"values\" must be an array of numbers, got " + node);
        }
        if (node.size() != count) {
            throw malformed(name, name + ": shape " + Arrays.toString(shape) + " holds " + count + " values, but \"values\" has "
                    + node.size());
        }
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            JsonNode v = node.get(i);
            if (!v.isNumber()) {
                throw malformed(name, name + ": \"values\" element " + i + " is not a number: " + v);
            }
            // Via double (keeps -0.0): the short decimals Float.toString writes round-trip exactly.
            out[i] = (float) v.doubleValue();
        }
        return out;
    }

    private static long nonNegative(String name, String field, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw malformed(name, name + ": \"" + field + "\" must be a non-negative integer, got " + v);
        }
        return v.asLong();
    }
}
