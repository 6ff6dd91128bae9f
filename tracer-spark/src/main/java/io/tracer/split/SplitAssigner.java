package io.tracer.split;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.Seeds;
import io.tracer.config.TracerConfig;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

/**
 * Assigns every trace to train, selection or calibration, stratified by teacher label.
 *
 * <p>Rule: u = a uniform double hashed from (split seed, trace id). Within each teacher label of
 * n rows, rows are ordered by (u, trace id); the row at 0-based position i goes to train when
 * (i + 0.5) / n &lt; train share, to selection when it is below train + selection, else to
 * calibration. So each label's split sizes are its shares of n rounded to the nearest row.
 * A label with fewer than {@code minStratifiedRows} rows cannot be split that way in a
 * meaningful sense, so its rows are assigned by u alone against the same cumulative shares
 * (unstratified): they land somewhere at random and nothing throws.
 *
 * <p>Trace ids are expected to be unique and non-null (the traces stage guarantees it); the
 * result then depends only on (trace id, seed) and which rows share a label, never on the
 * partitioning or on row order.
 */
public final class SplitAssigner {
    /** The stage name the split seed is derived under. */
    public static final String SEED_STAGE = "split";

    private static final String U = "__split_u";
    private static final String N = "__split_n";
    private static final String POS = "__split_pos";

    private final TracerConfig.Split shares;
    private final long rootSeed;
    private final long seed;

    public SplitAssigner(TracerConfig.Split shares, long rootSeed) {
        this.shares = shares;
        this.rootSeed = rootSeed;
        this.seed = Seeds.derive(rootSeed, SEED_STAGE);
    }

    /** The derived seed that orders rows; recorded in {@link SplitSummary}. */
    public long seed() {
        return seed;
    }

    /**
     * Adds {@link Columns#SPLIT} (train / selection / calibration) to {@code traces}, which must
     * hold {@link Columns#TRACE_ID} and {@link Columns#TEACHER}. Lazy: nothing runs until an action.
     */
    public Dataset<Row> assign(Dataset<Row> traces) {
        requireColumns(traces, Columns.TRACE_ID, Columns.TEACHER);
        double train = shares.train();
        double trainOrSelection = shares.train() + shares.selection();

        WindowSpec label = Window.partitionBy(col(Columns.TEACHER));
        WindowSpec ordered = label.orderBy(col(U), col(Columns.TRACE_ID));

        Column pos = col(POS);
        Column stratified = when(pos.lt(train), Columns.TRAIN)
                .when(pos.lt(trainOrSelection), Columns.SELECTION)
                .otherwise(Columns.CALIBRATION);
        Column u = col(U);
        Column unstratified = when(u.lt(train), Columns.TRAIN)
                .when(u.lt(trainOrSelection), Columns.SELECTION)
                .otherwise(Columns.CALIBRATION);

        return traces
                .withColumn(U, io.tracer.HashSample.uniform(seed, Columns.TRACE_ID))
                .withColumn(N, count(lit(1)).over(label))
                .withColumn(POS, row_number().over(ordered).minus(1).plus(0.5).divide(col(N)))
                .withColumn(Columns.SPLIT,
                        when(col(N).geq(shares.minStratifiedRows()), stratified).otherwise(unstratified))
                .drop(U, N, POS);
    }

    /**
     * What a split was, for provenance: one small aggregate (rows per label and split) brought
     * to the driver. {@code assigned} is the output of {@link #assign}.
     */
    public SplitSummary summarize(Dataset<Row> assigned) {
        requireColumns(assigned, Columns.TEACHER, Columns.SPLIT);
        List<Row> counts = assigned.groupBy(col(Columns.TEACHER), col(Columns.SPLIT)).count().collectAsList();
        Map<String, Long> perSplit = new HashMap<>();
        Map<Object, Long> perLabel = new HashMap<>();
        for (Row r : counts) {
            long c = r.getLong(2);
            perSplit.merge(r.getString(1), c, Long::sum);
            perLabel.merge(r.get(0), c, Long::sum);
        }
        int stratified = (int) perLabel.values().stream().filter(c -> c >= shares.minStratifiedRows()).count();
        return new SplitSummary(rootSeed, seed, shares,
                perSplit.getOrDefault(Columns.TRAIN, 0L),
                perSplit.getOrDefault(Columns.SELECTION, 0L),
                perSplit.getOrDefault(Columns.CALIBRATION, 0L),
                stratified, perLabel.size() - stratified);
    }

    static void requireColumns(Dataset<Row> df, String... names) {
        List<String> have = Arrays.asList(df.columns());
        for (String name : names) {
            if (!have.contains(name)) {
                throw new BadInputException("split: input has no column " + name + " (columns: " + have + ")");
            }
        }
    }
}
