package dev.striate.spark;

import dev.striate.train.TrainableModel;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructType;

/**
 * {@link SparkTrainer}'s training rows: a DataFrame's input and label columns checked and decoded into numbered
 * {@link Sample}s on the executors, and the row counts a run can take.
 */
final class TrainingRows {
    private TrainingRows() {
    }

    /** The row count of the {@code what} ("data" or "validation") as an int (the data not empty). */
    static int checkedSize(long size, String what) {
        if (size > Integer.MAX_VALUE || (size == 0 && what.equals("data"))) {
            throw new StriateSparkException(StriateSparkException.TRAINING, "the " + what + " has " + size
                    + " rows; training takes 1 to " + Integer.MAX_VALUE);
        }
        return (int) size;
    }

    /**
     * The rows as samples numbered in the DataFrame's order, decoded and checked on the executors; {@code c x h x w}
     * the model's image shape when the input column holds images (0 channels: none set).
     */
    static JavaRDD<Sample> decode(Dataset<Row> data, String inputColumn, String labelColumn, TrainableModel model,
                                  int c, int h, int w) {
        StructType schema = data.schema();
        boolean image = Inputs.isImage(schema, inputColumn);
        if (labelColumn != null) {
            DataType labelType = schema.apply(Inputs.index(schema, labelColumn)).dataType();
            if (!(labelType instanceof IntegerType || labelType instanceof LongType || labelType instanceof ShortType
                    || labelType instanceof ByteType)) {
                throw new StriateSparkException(StriateSparkException.COLUMN, "label column "
                        + Printable.quote(labelColumn) + " is " + labelType.simpleString() + "; it must hold class indices");
            }
        }
        if (image && c == 0) {
            throw new StriateSparkException(StriateSparkException.COLUMN, "column " + Printable.quote(inputColumn)
                    + " holds images: set the model's input with imageShape(channels, height, width)");
        }
        int inputSize = model.inputSize();
        int classes = model.outputSize();
        boolean labelled = labelColumn != null;
        Dataset<Row> columns = labelled ? data.select(inputColumn, labelColumn) : data.select(inputColumn);
        return columns.javaRDD().zipWithIndex().map(t -> {
            Row r = t._1();
            if (r.isNullAt(0) || (labelled && r.isNullAt(1))) {
                throw new StriateSparkException(StriateSparkException.COLUMN, "row " + t._2() + " has a null input or label");
            }
            long label = labelled ? ((Number) r.get(1)).longValue() : 0;
            if (label < 0 || label >= classes) {
                throw new StriateSparkException(StriateSparkException.TRAINING, "row " + t._2() + " has label "
                        + label + "; the model has classes 0.." + (classes - 1));
            }
            float[] x = image ? Inputs.image((byte[]) r.get(0), "row " + t._2(), c, h, w) : Inputs.array(r.get(0), inputSize);
            if (x.length != inputSize) {
                throw new StriateSparkException(StriateSparkException.COLUMN, "row " + t._2() + " gives "
                        + x.length + " values; the model takes " + inputSize);
            }
            return new Sample(t._2(), (int) label, x);
        });
    }
}
