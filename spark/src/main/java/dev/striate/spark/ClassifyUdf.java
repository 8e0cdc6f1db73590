package dev.striate.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;

/**
 * The SQL function of {@link Scoring#register}: one column (image bytes or an input array) to a
 * struct {@code <label: string, index: int, probabilities: array<float>>}. The no-argument
 * constructor is for PySpark, whose {@code spark.udf.registerJavaFunction} instantiates the class
 * by name: it takes the model class from the Spark setting {@value #MODEL_SETTING}.
 */
public final class ClassifyUdf implements UDF1<Object, Row> {
    private static final long serialVersionUID = 1L;
    /** The Spark setting naming the generated class for the no-argument constructor. */
    public static final String MODEL_SETTING = "spark.striate.model";
    private final Scorer scorer;

    /** The function of {@code modelClass}; E801 when it is not a generated classifier. */
    public ClassifyUdf(String modelClass) {
        this.scorer = new Scorer(modelClass).check();
    }

    /** The function of the class named by the active session's {@value #MODEL_SETTING} (PySpark). */
    public ClassifyUdf() {
        this(modelFromConf());
    }

    private static String modelFromConf() {
        SparkConf conf = SparkSession.active().sparkContext().getConf();
        if (!conf.contains(MODEL_SETTING)) {
            throw new StriateSparkException(StriateSparkException.MODEL_CLASS, "set " + MODEL_SETTING
                    + " (spark-submit --conf " + MODEL_SETTING + "=com.acme.SeedCnn) to name the generated class");
        }
        return conf.get(MODEL_SETTING);
    }

    @Override
    public Row call(Object value) {
        if (value == null) {
            return null;
        }
        Scorer.Result r = scorer.score(value, value instanceof byte[], "image");
        return RowFactory.create(r.label(), r.index(), r.probabilities());
    }
}
