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

    /**
     * The most values one tensor may hold: its bytes must fit one Java array ({@code 4 x count
     * <= Integer.MAX_VALUE}), i.e. 536,870,911 float32 values (2 GiB).
     */
    static final long MAX_VALUES = Integer.MAX_VALUE / Float.BYTES;

    /** The number of bytes the tensor's values take as float32 (also for inline tensors). */
    long bytes() {
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        return count * Float.BYTES;
    }

    /** The first byte past the tensor's range of the blob ({@code offset + length}, checked when parsed). */
    long end() {
        return offset + length;
    }

    static TensorEntry parse(JsonNode node, int index) {
        if (!node.isObject()) {
            throw malformed(null, "tensor #" + index + " must be a JSON object, got " + Show.json(node));
        }
        JsonNode nameNode = node.get("name");
        if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isEmpty()) {
            throw malformed(null, "tensor #" + index + " has no \"name\"");
        }
        String name = nameNode.asText();
        String shown = Show.text(name);
        int[] shape = shape(name, require(node, "shape", name));
        String dtype = requireString(node, "dtype", name);
        if (!dtype.equals(WeightsFile.DTYPE)) {
            throw malformed(name, shown + ": unsupported dtype \"" + Show.text(dtype) + "\" (only \""
                    + WeightsFile.DTYPE + "\" is supported)");
        }
        long count = 1;
        for (int d : shape) {
            count = Math.multiplyExact(count, d); // at most MAX_VALUES x Integer.MAX_VALUE: no overflow
            if (count > MAX_VALUES) {
                throw malformed(name, shown + ": shape " + shapeString(shape) + " is too large: a tensor may hold at most "
                        + MAX_VALUES + " float32 values (2 GiB)");
            }
        }
        JsonNode values = node.get("values");
        boolean blobFields = node.has("offset") || node.has("length") || node.has("sha256");
        if (values != null && blobFields) {
            throw malformed(name, shown + ": give either inline \"values\" or \"offset\", \"length\" and \"sha256\", "
                    + "not both");
        }
        if (values != null) {
            return new TensorEntry(name, shape, inlineValues(name, shape, (int) count, values), 0, 0, null);
        }
        long offset = nonNegative(name, "offset", require(node, "offset", name));
        long length = nonNegative(name, "length", require(node, "length", name));
        String sha = requireString(node, "sha256", name).toLowerCase(Locale.ROOT);
        if (sha.length() != 64 || !sha.chars().allMatch(HexFormat::isHexDigit)) {
            throw malformed(name, shown + ": \"sha256\" must be 64 hex digits, got \"" + Show.text(sha) + "\"");
        }
        if (length != count * Float.BYTES) {
            throw malformed(name, shown + ": shape " + shapeString(shape) + " needs " + count * Float.BYTES
                    + " bytes (" + count + " float32 values), but \"length\" is " + length);
        }
        try {
            Math.addExact(offset, length);
        } catch (ArithmeticException e) {
            throw malformed(name, shown + ": \"offset\" " + offset + " plus \"length\" " + length
                    + " is past the largest possible file size (" + Long.MAX_VALUE + " bytes)");
        }
        return new TensorEntry(name, shape, null, offset, (int) length, sha);
    }

    private static String shapeString(int[] shape) {
        return Arrays.toString(shape);
    }

    private static int[] shape(String name, JsonNode node) {
        boolean ok = node.isArray() && !node.isEmpty();
        for (int i = 0; ok && i < node.size(); i++) {
            JsonNode d = node.get(i);
            ok = d.isIntegralNumber() && d.bigIntegerValue().signum() > 0;
        }
        if (!ok) {
            throw malformed(name, Show.text(name) + ": \"shape\" must be a non-empty array of positive integers, got "
                    + Show.json(node));
        }
        int[] shape = new int[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.canConvertToInt()) {
                throw malformed(name, Show.text(name) + ": \"shape\" " + Show.json(node) + " is too large: dimension "
                        + i + " is " + Show.text(d.asText()) + ", a tensor may hold at most " + MAX_VALUES
                        + " float32 values (2 GiB)");
            }
            shape[i] = d.asInt();
        }
        return shape;
    }

    private static float[] inlineValues(String name, int[] shape, int count, JsonNode node) {
        if (!node.isArray()) {
            throw malformed(name, Show.text(name) + ": \"values\" must be an array of numbers, got " + Show.json(node));
        }
        if (node.size() != count) {
            throw malformed(name, Show.text(name) + ": shape " + Arrays.toString(shape) + " holds " + count
                    + " values, but \"values\" has "
                    + node.size());
        }
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            JsonNode v = node.get(i);
            if (!v.isNumber()) {
                throw malformed(name, Show.text(name) + ": \"values\" element " + i + " is not a number: "
                        + Show.json(v));
            }
            // Via double (keeps -0.0): the short decimals Float.toString writes round-trip exactly.
            out[i] = (float) v.doubleValue();
        }
        return out;
    }

    private static long nonNegative(String name, String field, JsonNode v) {
        if (!v.isIntegralNumber() || v.bigIntegerValue().signum() < 0) {
            throw malformed(name, Show.text(name) + ": \"" + field + "\" must be a non-negative integer, got "
                    + Show.json(v));
        }
        if (!v.canConvertToLong()) {
            throw malformed(name, Show.text(name) + ": \"" + field + "\" " + Show.json(v) + " is too large (at most "
                    + Long.MAX_VALUE + ")");
        }
        return v.asLong();
    }
}
