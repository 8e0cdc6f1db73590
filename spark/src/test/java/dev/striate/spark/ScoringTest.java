package dev.striate.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.data.ColorMode;
import dev.striate.data.ImageFile;
import dev.striate.spark.models.SeedCnn;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scoring with real Spark in local mode: the generated Keras MNIST CNN (examples/mnist, compiled
 * by the Maven plugin into the test classes) over a DataFrame gives, row for row, the bits the
 * class gives in one JVM.
 */
class ScoringTest {
    private static final String MODEL = SeedCnn.class.getName();
    private static SparkSession spark;
    private static Digits digits;

    @BeforeAll
    static void start() {
        spark = LocalSpark.get();
        digits = Digits.load();
    }

    /** id, pixels (array<float>) of every test image, in 4 partitions. */
    static Dataset<Row> arrays(int n) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] img = digits.images[i];
            Float[] boxed = new Float[img.length];
            for (int j = 0; j < img.length; j++) {
                boxed[j] = img[j];
            }
            rows.add(RowFactory.create(i, java.util.Arrays.asList(boxed)));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false));
        return spark.createDataFrame(rows, schema).repartition(4);
    }

    @Test
    void scoringTheTestSetGivesTheSingleJvmPredictionsBitForBit() {
        int n = digits.images.length;
        List<Row> scored = Scoring.score(arrays(n), "pixels", MODEL).collectAsList();
        assertEquals(n, scored.size());
        SeedCnn model = SeedCnn.load();
        int correct = 0;
        for (Row r : scored) {
            int id = r.getInt(0);
            float[] expected = model.predict(digits.images[id]);
            float[] actual = floats(r.getList(3));
            assertArrayEquals(expected, actual, 0f, "probabilities of image " + id);
            int best = top(expected);
            assertEquals(best, r.getInt(2), "index of image " + id);
            assertEquals(SeedCnn.label(best), r.getString(1));
            correct += best == digits.labels[id] ? 1 : 0;
        }
        if (digits.mnist) {
            assertEquals(9927, correct, "the committed weights' documented MNIST accuracy");
        }
    }

    @Test
    void imagesFromTheBinaryFileSourceAreDecodedAsTrainingDecodesThem(@TempDir Path dir) throws Exception {
        int n = 60;
        for (int i = 0; i < n; i++) {
            // gray PNGs, every fifth an RGB JPEG-free colour PNG at another size (resized by the model's input)
            boolean colour = i % 5 == 0;
            int size = colour ? 40 : 28;
            BufferedImage img = new BufferedImage(size, size, colour ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int v = (int) digits.images[i][(y * 28 / size) * 28 + x * 28 / size];
                    img.getRaster().setSample(x, y, 0, v);
                    if (colour) {
                        img.getRaster().setSample(x, y, 1, v / 2);
                        img.getRaster().setSample(x, y, 2, 255 - v);
                    }
                }
            }
            ImageIO.write(img, "png", dir.resolve(String.format("img%03d.png", i)).toFile());
        }
        Path out = dir.resolve("scored");
        ScoreJob.main(new String[] {MODEL, dir.toString(), out.toString()});   // the spark-submit example job
        assertEquals(n, spark.read().parquet(out.toString()).count());
        Dataset<Row> files = spark.read().format("binaryFile").option("pathGlobFilter", "*.png").load(dir.toString());
        List<Row> scored = Scoring.score(files, "content", MODEL).select("path", "label", "index", "probabilities")
                .collectAsList();
        assertEquals(n, scored.size());
        SeedCnn model = SeedCnn.load();
        for (Row r : scored) {
            Path file = Path.of(java.net.URI.create(r.getString(0)));
            float[] expected = model.predict(ImageFile.read(file, ColorMode.GRAY, 28, 28));
            assertArrayEquals(expected, floats(r.getList(3)), 0f, file.toString());
            assertEquals(top(expected), r.getInt(2));
        }
    }

    @Test
    void theSqlFunctionGivesTheSameStruct() {
        int n = 300;
        arrays(n).createOrReplaceTempView("digits");
        Scoring.register(spark, "classify", MODEL);
        // the no-argument form PySpark's registerJavaFunction uses, the class from spark.striate.model
        spark.udf().registerJava("classify2", ClassifyUdf.class.getName(), Scoring.RESULT);
        List<Row> rows = spark.sql("SELECT id, classify(pixels) AS c, classify2(pixels).index AS i2,"
                + " classify(CAST(NULL AS array<float>)) AS none FROM digits").collectAsList();
        assertEquals(n, rows.size());
        SeedCnn model = SeedCnn.load();
        for (Row r : rows) {
            float[] expected = model.predict(digits.images[r.getInt(0)]);
            Row c = r.getStruct(1);
            assertArrayEquals(expected, floats(c.getList(2)), 0f);
            assertEquals(top(expected), c.getInt(1));
            assertEquals(top(expected), r.getInt(2));
            assertNull(r.get(3));
        }
    }

    @Test
    void mistakesAreReportedWithTheirCodesBeforeAnyJob() {
        Dataset<Row> data = arrays(4);
        StriateSparkException e = assertThrows(StriateSparkException.class,
                () -> Scoring.score(data, "pixels", "com.example.Missing"));
        assertEquals("E801", e.code());
        assertTrue(e.getMessage().contains("--jars"), e.getMessage());
        assertEquals("E801", assertThrows(StriateSparkException.class,
                () -> Scoring.score(data, "pixels", "java.lang.String")).code());
        assertEquals("E801", assertThrows(StriateSparkException.class,
                () -> Scoring.score(data, "pixels", "bad name;")).code());
        assertEquals("E802", assertThrows(StriateSparkException.class,
                () -> Scoring.score(data, "nope", MODEL)).code());
        assertEquals("E802", assertThrows(StriateSparkException.class,
                () -> Scoring.score(data, "id", MODEL)).code());
    }

    @Test
    void aRowOfTheWrongLengthFailsTheJobWithE802() {
        Dataset<Row> short1 = spark.sql("SELECT array(CAST(1.0 AS float), CAST(2.0 AS float)) AS pixels");
        Exception e = assertThrows(Exception.class, () -> Scoring.score(short1, "pixels", MODEL).collectAsList());
        assertTrue(String.valueOf(rootMessage(e)).contains("[E802]"), rootMessage(e));
    }

    static String rootMessage(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getMessage()).append(" | ");
        }
        return b.toString();
    }

    static float[] floats(List<Object> list) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Float) list.get(i);
        }
        return out;
    }

    static int top(float[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) {
            if (v[k] > v[best]) {
                best = k;
            }
        }
        return best;
    }
}
