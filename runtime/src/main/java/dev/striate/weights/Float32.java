package dev.striate.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Little-endian float32 encoding, SHA-256 checksums and the finiteness check of the weights format. */
final class Float32 {
    private Float32() {
    }

    /** The values as little-endian float32 bytes. */
    static byte[] encode(float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return buf.array();
    }

    /** {@code count} little-endian float32 values starting at {@code offset}. */
    static float[] decode(byte[] bytes, int offset, int count) {
        float[] out = new float[count];
        ByteBuffer.wrap(bytes, offset, count * Float.BYTES).slice().order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(out);
        return out;
    }

    /** Lowercase hex SHA-256 of {@code length} bytes starting at {@code offset}. */
    static String sha256(byte[] bytes, int offset, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, offset, length);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Index of the first NaN or infinite value, or -1 when all are finite. */
    static int firstNonFinite(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The message for a non-finite value, e.g.
     * {@code conv2d_1.weight: element 17 (index [0, 0, 1, 2]) is NaN; weights must be finite}.
     */
    static String nonFiniteMessage(String tensor, int[] shape, float[] values, int index) {
        return tensor + ": element " + index + " (index " + multiIndex(shape, index) + ") is "
                + values[index] + "; weights must be finite";
    }

    /** The row-major multi-index of flat position {@code flat}, e.g. {@code [0, 0, 1, 2]}. */
    static String multiIndex(int[] shape, int flat) {
        int[] idx = new int[shape.length];
        int rest = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = rest % shape[d];
            rest /= shape[d];
        }
        StringBuilder sb = new StringBuilder("[");
        for (int d = 0; d < idx.length; d++) {
            sb.append(d > 0 ? ", " : "").append(idx[d]);
        }
        return sb.append(']').toString();
    }
}
