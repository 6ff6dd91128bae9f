package io.tracer.zoo;

import io.tracer.Columns;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Test traces: K gaussian clusters in D dimensions that overlap enough for a linear model to be
 * right most of the time but not always (so agree has both values).
 */
public final class SyntheticClusters {
    private SyntheticClusters() {}

    public static final StructType SCHEMA = new StructType()
            .add(Columns.TRACE_ID, DataTypes.StringType, false)
            .add(Columns.TEACHER, DataTypes.StringType, false)
            .add(Columns.EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), false);

    /** {@code rows} traces over labels c0..c{k-1}; centres are N(0, spread²), noise N(0, 1). */
    public static Dataset<Row> make(int rows, int k, int dim, double spread, long seed) {
        Random rnd = new Random(seed);
        double[][] centres = new double[k][dim];
        for (double[] c : centres) {
            for (int d = 0; d < dim; d++) {
                c[d] = rnd.nextGaussian() * spread;
            }
        }
        List<Row> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            int label = rnd.nextInt(k);
            float[] e = new float[dim];
            for (int d = 0; d < dim; d++) {
                e[d] = (float) (centres[label][d] + rnd.nextGaussian());
            }
            Float[] boxed = new Float[dim];
            for (int d = 0; d < dim; d++) {
                boxed[d] = e[d];
            }
            out.add(RowFactory.create("t" + seed + "-" + i, "c" + label, boxed));
        }
        return SparkTestSession.get().createDataFrame(out, SCHEMA);
    }

    /** Folds the way a split stage might: pmod(xxhash64(trace_id), k). */
    public static Dataset<Row> withFolds(Dataset<Row> rows, int k) {
        return rows.withColumn(Columns.FOLD, pmod(xxhash64(col(Columns.TRACE_ID)), lit(k)).cast("int"));
    }
}
