package io.tracer.split;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.Seeds;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Assigns cross-validation folds 0..k-1 to the train rows, stratified by teacher label.
 *
 * <p>Rule: within each teacher label, train rows are ordered by (u, trace id), u hashed from
 * (fold seed, trace id) with a seed distinct from the split's; the row at 0-based rank r gets
 * fold (r + offset) mod k. Every label's rows are thus spread over the folds with sizes that
 * differ by at most one. The offset, hashed from (fold seed, label), keeps the many one- or
 * two-row labels from all starting in fold 0, which would make fold 0 the largest.
 * Rows outside train get a null fold.
 */
public final class FoldAssigner {
    /** The stage name the fold seed is derived under. */
    public static final String SEED_STAGE = "folds";

    private static final String U = "__fold_u";

    private final int folds;
    private final long seed;

    public FoldAssigner(int folds, long rootSeed) {
        if (folds < 2) {
            throw new BadInputException("folds: need at least 2 cross-validation folds, got " + folds);
        }
        this.folds = folds;
        this.seed = Seeds.derive(rootSeed, SEED_STAGE);
    }

    public int folds() {
        return folds;
    }

    /** The derived seed that orders rows within a label. */
    public long seed() {
        return seed;
    }

    /**
     * Adds {@link Columns#FOLD} (int) to {@code split}, the output of {@link SplitAssigner#assign}:
     * 0..k-1 on train rows, null elsewhere. Lazy.
     */
    public Dataset<Row> assign(Dataset<Row> split) {
        SplitAssigner.requireColumns(split, Columns.TRACE_ID, Columns.TEACHER, Columns.SPLIT);
        Column isTrain = col(Columns.SPLIT).equalTo(Columns.TRAIN);
        // Partitioning by the split too ranks train rows among train rows only.
        WindowSpec ordered = Window.partitionBy(col(Columns.TEACHER), col(Columns.SPLIT))
                .orderBy(col(U), col(Columns.TRACE_ID));
        Column offset = pmod(xxhash64(lit(seed), col(Columns.TEACHER)), lit((long) folds));
        Column fold = pmod(row_number().over(ordered).minus(1).plus(offset), lit((long) folds)).cast("int");
        return split
                .withColumn(U, io.tracer.HashSample.uniform(seed, Columns.TRACE_ID))
                .withColumn(Columns.FOLD, when(isTrain, fold).otherwise(lit(null).cast("int")))
                .drop(U);
    }
}
