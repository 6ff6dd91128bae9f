package io.tracer.split;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.Seeds;
import io.tracer.config.ConfigKeys;
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
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
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
 *
 * <p>Two options ({@link TracerConfig.Split}):
 * <ul>
 *   <li>{@code group-by = input}: the unit placed is not a row but a normalised input text
 *       (trimmed, lower-cased, runs of white space as one space): every row with that text lands
 *       in the unit's split. The unit's label is the smallest teacher label among its rows and
 *       its key the text, so the rule above applies to units instead of rows.</li>
 *   <li>{@code order = time}: units are ranked by time (a row's timestamp, a group's newest; no
 *       timestamp counts as the oldest), ties by (u, key); the oldest train share of the units
 *       goes to train. The newest are split between selection and calibration by the rule above
 *       with the shares selection / (selection + calibration), stratified by label among them.</li>
 * </ul>
 */
public final class SplitAssigner {
    /** The stage name the split seed is derived under. */
    public static final String SEED_STAGE = "split";

    private static final String U = "__split_u";
    private static final String N = "__split_n";
    private static final String POS = "__split_pos";
    private static final String KEY = "__split_key";
    private static final String LABEL = "__split_label";
    private static final String TIME = "__split_time";
    private static final String RECENT = "__split_recent";

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
        boolean byTime = TracerConfig.Split.ORDER_TIME.equals(shares.order());
        boolean byInput = TracerConfig.Split.GROUP_INPUT.equals(shares.groupBy());
        if (byTime && !Arrays.asList(traces.columns()).contains(Columns.TIMESTAMP)) {
            throw new BadInputException(ConfigKeys.SPLIT_ORDER + " = time needs a timestamp column (aliases "
                    + ConfigKeys.TRACES_TIMESTAMP_ALIASES + "); the traces have " + Arrays.asList(traces.columns()));
        }
        if (!byTime && !byInput) {
            return byHash(traces);
        }
        if (byInput) {
            requireColumns(traces, Columns.INPUT);
        }
        // The units: rows keyed by trace id, or one per normalised input text.
        Dataset<Row> keyed = traces.withColumn(KEY, byInput ? normalisedInput(col(Columns.INPUT)) : col(Columns.TRACE_ID));
        Dataset<Row> units = byInput
                ? keyed.groupBy(col(KEY)).agg(min(col(Columns.TEACHER)).as(LABEL),
                        byTime ? max(col(Columns.TIMESTAMP)).as(TIME) : lit(null).cast("timestamp").as(TIME))
                : keyed.select(col(KEY), col(Columns.TEACHER).as(LABEL),
                        byTime ? col(Columns.TIMESTAMP).as(TIME) : lit(null).cast("timestamp").as(TIME));
        Dataset<Row> assigned = (byTime ? byTime(units) : byHash(units, LABEL, KEY)).select(col(KEY), col(Columns.SPLIT));
        return keyed.join(assigned, KEY).drop(KEY);
    }

    /** The hash rule on rows, stratified by teacher label (the default). */
    private Dataset<Row> byHash(Dataset<Row> traces) {
        return byHash(traces, Columns.TEACHER, Columns.TRACE_ID);
    }

    /** The hash rule on units with a label and a key column. */
    private Dataset<Row> byHash(Dataset<Row> units, String labelCol, String keyCol) {
        double train = shares.train();
        double trainOrSelection = shares.train() + shares.selection();

        WindowSpec label = Window.partitionBy(col(labelCol));
        WindowSpec ordered = label.orderBy(col(U), col(keyCol));

        Column pos = col(POS);
        Column stratified = when(pos.lt(train), Columns.TRAIN)
                .when(pos.lt(trainOrSelection), Columns.SELECTION)
                .otherwise(Columns.CALIBRATION);
        Column u = col(U);
        Column unstratified = when(u.lt(train), Columns.TRAIN)
                .when(u.lt(trainOrSelection), Columns.SELECTION)
                .otherwise(Columns.CALIBRATION);

        return units
                .withColumn(U, io.tracer.HashSample.uniform(seed, keyCol))
                .withColumn(N, count(lit(1)).over(label))
                .withColumn(POS, row_number().over(ordered).minus(1).plus(0.5).divide(col(N)))
                .withColumn(Columns.SPLIT,
                        when(col(N).geq(shares.minStratifiedRows()), stratified).otherwise(unstratified))
                .drop(U, N, POS);
    }

    /**
     * The time rule on units (KEY, LABEL, TIME): the oldest train share to train; the rest to
     * selection and calibration by the hash rule, stratified by label among the recent units.
     * The global ranking sees these narrow columns only.
     */
    private Dataset<Row> byTime(Dataset<Row> units) {
        double selectionOfRecent = shares.selection() / (shares.selection() + shares.calibration());
        WindowSpec all = Window.orderBy(col(TIME).asc_nulls_first(), col(U), col(KEY));
        WindowSpec recentLabel = Window.partitionBy(col(LABEL), col(RECENT));
        WindowSpec recentOrdered = recentLabel.orderBy(col(U), col(KEY));
        Column pos = col(POS);
        Column stratified = when(pos.lt(selectionOfRecent), Columns.SELECTION).otherwise(Columns.CALIBRATION);
        Column unstratified = when(col(U).lt(selectionOfRecent), Columns.SELECTION).otherwise(Columns.CALIBRATION);
        return units
                .withColumn(U, io.tracer.HashSample.uniform(seed, KEY))
                .withColumn(RECENT, row_number().over(all).minus(1).plus(0.5)
                        .divide(count(lit(1)).over(Window.partitionBy())).geq(shares.train()))
                .withColumn(N, count(lit(1)).over(recentLabel))
                .withColumn(POS, row_number().over(recentOrdered).minus(1).plus(0.5).divide(col(N)))
                .withColumn(Columns.SPLIT, when(not(col(RECENT)), lit(Columns.TRAIN))
                        .when(col(N).geq(shares.minStratifiedRows()), stratified).otherwise(unstratified))
                .drop(U, N, POS, RECENT);
    }

    /** Trimmed, lower-cased, runs of white space as one space: what makes two logged inputs the same query. */
    public static Column normalisedInput(Column input) {
        return regexp_replace(lower(trim(input)), "\\s+", " ");
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
