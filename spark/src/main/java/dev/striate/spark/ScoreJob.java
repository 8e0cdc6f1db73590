package dev.striate.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A ready-to-submit scoring job: the PNG and JPEG files under a folder, scored by a generated
 * class, written as Parquet ({@code path}, {@code label}, {@code index}, {@code probabilities}).
 *
 * <pre>
 * spark-submit --class dev.striate.spark.ScoreJob --jars model.jar,striate-runtime-VERSION.jar \
 *     striate-spark-VERSION.jar com.acme.SeedCnn hdfs:///digits/ hdfs:///digits-scored/
 * </pre>
 */
public final class ScoreJob {
    private ScoreJob() {
    }

    /** {@code MODEL_CLASS INPUT_FOLDER OUTPUT_FOLDER}; the output folder must not exist. */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: ScoreJob MODEL_CLASS INPUT_FOLDER OUTPUT_FOLDER");
            System.exit(2);
        }
        SparkSession spark = SparkSession.builder().appName("striate-score " + args[0]).getOrCreate();
        Dataset<Row> images = spark.read().format("binaryFile").option("pathGlobFilter", "*.{png,jpg,jpeg,PNG,JPG,JPEG}")
                .option("recursiveFileLookup", "true").load(args[1]);
        Scoring.score(images, "content", args[0]).select("path", "label", "index", "probabilities")
                .write().parquet(args[2]);
    }
}
