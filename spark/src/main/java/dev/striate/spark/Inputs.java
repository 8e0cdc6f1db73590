package dev.striate.spark;

import dev.striate.data.ColorMode;
import dev.striate.data.DataException;
import dev.striate.data.ImageFile;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.StructType;

/**
 * Turns a column's value into a model input: an {@code array<float>} or {@code array<double>}
 * as it is, or the bytes of an image file ({@code binary}, the {@code content} column of Spark's
 * {@code binaryFile} source) decoded by the runtime's {@link ImageFile}, the one image path
 * {@code striate train}, {@code evaluate} and {@code predict} use (sRGB, alpha over white, gray
 * by BT.601 luma, bilinear resize to the model's input).
 */
final class Inputs {
    private Inputs() {
    }

    /** Whether {@code column} of {@code schema} holds images (true) or arrays (false); E802 otherwise. */
    static boolean isImage(StructType schema, String column) {
        DataType type = schema.apply(index(schema, column)).dataType();
        if (type instanceof BinaryType) {
            return true;
        }
        if (type instanceof ArrayType a
                && (a.elementType() instanceof FloatType || a.elementType() instanceof DoubleType)) {
            return false;
        }
        throw new StriateSparkException(StriateSparkException.COLUMN, "column " + Printable.quote(column) + " is "
                + type.simpleString() + "; Striate scores array<float>, array<double> or binary (image file) columns");
    }

    /** The index of {@code column} in {@code schema}; E802 when it has none. */
    static int index(StructType schema, String column) {
        for (int i = 0; i < schema.fields().length; i++) {
            if (schema.fields()[i].name().equals(column)) {
                return i;
            }
        }
        throw new StriateSparkException(StriateSparkException.COLUMN, "no column " + Printable.quote(column)
                + " in " + schema.simpleString());
    }

    /** An array value (a Scala {@code Seq}, a {@link List}, {@code float[]} or {@code double[]}) as floats of length {@code size}. */
    static float[] array(Object value, int size) {
        float[] out;
        if (value instanceof float[] f) {
            out = f.clone();
        } else if (value instanceof double[] d) {
            out = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = (float) d[i];
            }
        } else {
            List<?> list = value instanceof scala.collection.Seq<?> seq
                    ? scala.jdk.javaapi.CollectionConverters.asJava(seq) : (List<?>) value;
            out = new float[list.size()];
            for (int i = 0; i < out.length; i++) {
                Object v = list.get(i);
                if (!(v instanceof Number n)) {
                    throw new StriateSparkException(StriateSparkException.COLUMN,
                            "an input array holds a null at index " + i);
                }
                out[i] = n.floatValue();
            }
        }
        if (out.length != size) {
            throw new StriateSparkException(StriateSparkException.COLUMN, "an input array has " + out.length
                    + " values; the model takes " + size);
        }
        return out;
    }

    /** The image in {@code content} as the model's pixels {@code 0..255} ({@code name} names it in errors). */
    static float[] image(byte[] content, String name, int channels, int height, int width) {
        ColorMode mode = channels == 1 ? ColorMode.GRAY : channels == 3 ? ColorMode.RGB : null;
        if (mode == null || height < 1 || width < 1) {
            throw new StriateSparkException(StriateSparkException.COLUMN, "the model's input is not an image of 1"
                    + " or 3 channels (" + channels + " x " + height + " x " + width + "); score arrays instead");
        }
        try {
            return ImageFile.read(content, name, mode, height, width);
        } catch (DataException e) {
            throw new StriateSparkException(StriateSparkException.IMAGE, e.getMessage(), e);
        }
    }
}
