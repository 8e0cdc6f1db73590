package dev.striate.importer.safetensors;

/** The 16-bit float formats model files store weights in, widened to float32 exactly (every such value is a float). */
public final class Float16 {
    private Float16() {
    }

    /** IEEE 754 binary16: sign, then {@code (1024 + m) * 2^(e - 25)}, or {@code m * 2^-24} when subnormal. */
    public static float toFloat(short bits) {
        int e = (bits >>> 10) & 0x1f;
        int m = bits & 0x3ff;
        float magnitude;
        if (e == 0x1f) {
            magnitude = m == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            magnitude = e == 0 ? Math.scalb((float) m, -24) : Math.scalb((float) (1024 + m), e - 25);
        }
        return (bits & 0x8000) != 0 ? -magnitude : magnitude;
    }

    /** bfloat16: the upper half of a float32's bits. */
    public static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
