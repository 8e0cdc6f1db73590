package dev.striate.backend;

import dev.striate.text.JavaText;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Collects the floats the generated layer methods read, in the order they read them, and
 * writes them as the {@code ClassName.weights} blob: a 16-byte little-endian header (magic
 * {@link #MAGIC}, {@link #VERSION}, float count, CRC32 of the payload) followed by the floats.
 */
public final class WeightBlob {
    /** {@code "STRW"} read as a little-endian int. */
    public static final int MAGIC = 0x57525453;
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 16;

    /** Constants the generated class has besides the offsets: an offset's name never takes one. */
    private static final Set<String> CLASS_CONSTANTS = Set.of("INPUT_CHANNELS", "INPUT_HEIGHT", "INPUT_WIDTH",
            "INPUT_SIZE", "OUTPUT_SIZE", "CLASS_COUNT", "WEIGHT_COUNT", "LABELS", "CHUNKS", "ACC_ROW");

    private float[] data = new float[1024];
    private int size;
    private final Map<String, Integer> names = new LinkedHashMap<>();
    private final Set<String> taken = new HashSet<>(CLASS_CONSTANTS);

    /** Appends {@code values} and returns the offset of the first one. */
    public int add(float[] values) {
        int offset = size;
        if (size + values.length > data.length) {
            float[] bigger = new float[Math.max(data.length * 2, size + values.length)];
            System.arraycopy(data, 0, bigger, 0, size);
            data = bigger;
        }
        System.arraycopy(values, 0, data, size, values.length);
        size += values.length;
        return offset;
    }

    /**
     * Appends {@code values} (parameter {@code param} of layer {@code layer}, laid out as the code
     * reads them) and names their offset: a constant of the generated class such as
     * {@code CONV2D_1_WEIGHT} ({@link JavaText#identifier}, unique in the class). Returns its name.
     */
    public String addNamed(String layer, String param, float[] values) {
        String name = constantName(layer, param);
        names.put(name, add(values));
        return name;
    }

    /**
     * A new name for an {@code int} constant of the generated class about {@code layer}'s
     * {@code what}: {@code CONV2D_1_WEIGHT} ({@link JavaText#identifier}, upper case), unique among
     * the offsets, the class's own constants and every name handed out before (the scratch rows'
     * indices, {@code ScratchRows}, share this namespace).
     */
    public String constantName(String layer, String what) {
        return JavaText.identifier((layer + "_" + what).toUpperCase(Locale.ROOT), "W_", s -> false, taken);
    }

    /** The named offsets, in the order they were added. */
    public Map<String, Integer> names() {
        return Collections.unmodifiableMap(names);
    }

    /** Number of floats added so far. */
    public int size() {
        return size;
    }

    /** A copy of the floats added so far. */
    public float[] floats() {
        return Arrays.copyOf(data, size);
    }

    /** The blob bytes: header then little-endian payload. */
    public byte[] toBytes() {
        ByteBuffer payload = ByteBuffer.allocate(size * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size; i++) {
            payload.putFloat(data[i]);
        }
        CRC32 crc = new CRC32();
        crc.update(payload.array());
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + size * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).putInt(VERSION).putInt(size).putInt((int) crc.getValue());
        out.put(payload.array());
        return out.array();
    }
}
