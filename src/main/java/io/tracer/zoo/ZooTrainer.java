package io.tracer.zoo;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.Seeds;
import io.tracer.TracerException;
import io.tracer.config.TracerConfig;
import io.tracer.log.Progress;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Cross-validated selection of a surrogate on the train split.
 *
 * <p>Each candidate is fitted once per fold on the other folds and scored on the held-out fold
 * against the teacher. Fits are submitted from a small driver thread pool
 * ({@code tracer.zoo.parallelism}), so Spark runs their jobs concurrently. The best mean of the
 * configured metric wins (ties go to the earlier candidate), is refitted on all rows, and its
 * fold models' held-out predictions become the out-of-fold table the gates train on.
 *
 * <p>Rows need {@link Columns#TRACE_ID}, {@link Columns#EMBEDDING} or {@link Columns#FEATURES},
 * and {@link Columns#LABEL_INDEX} or {@link Columns#TEACHER}. A {@link Columns#FOLD} column is used
 * as given (folds are its distinct values, 0..k-1); without one, folds are
 * pmod(xxhash64(trace_id, seed), k), unstratified.
 */
public final class ZooTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(ZooTrainer.class);
    /** At most one progress line per this many seconds while the folds fit (each fold's scores are at DEBUG). */
    private static final double PROGRESS_SECONDS = 15;

    private final SparkSession spark;
    private final TracerConfig.Zoo config;
    private final LabelIndex labels;
    private final long seed;

    public ZooTrainer(SparkSession spark, TracerConfig.Zoo config, LabelIndex labels, long seed) {
        this.spark = spark;
        this.config = config;
        this.labels = labels;
        this.seed = seed;
    }

    /** Runs the configured zoo on {@code rows}. */
    public ZooResult train(Dataset<Row> rows) {
        Dataset<Row> prepared = TrainingPartitions.persist(prepare(rows, true), "zoo").rows();
        try {
            int dim = dimension(prepared);
            return crossValidate(prepared, SurrogateZoo.candidates(config, dim, labels.size()), dim);
        } finally {
            prepared.unpersist();
        }
    }

    /** Runs the given candidates (e.g. a hand-picked or cheaper set) on {@code rows}. */
    public ZooResult train(Dataset<Row> rows, List<SurrogateSpec> specs) {
        if (specs.isEmpty()) {
            throw new BadInputException("zoo: no candidate to train");
        }
        Dataset<Row> prepared = TrainingPartitions.persist(prepare(rows, true), "zoo").rows();
        try {
            return crossValidate(prepared, specs, dimension(prepared));
        } finally {
            prepared.unpersist();
        }
    }

    /** Fits one spec on all {@code rows}, without cross-validation (e.g. a second-stage surrogate). */
    public SurrogateModel fit(SurrogateSpec spec, Dataset<Row> rows) {
        Dataset<Row> prepared = TrainingPartitions.persist(prepare(rows, false), "zoo").rows();
        try {
            int dim = dimension(prepared);
            long t0 = System.nanoTime();
            SurrogateModel model = fitOne(spec, dim, prepared);
            LOG.info("zoo: {} fitted on all rows in {}s", spec.name(), String.format("%.1f", seconds(t0)));
            return model;
        } finally {
            prepared.unpersist();
        }
    }

    private ZooResult crossValidate(Dataset<Row> prepared, List<SurrogateSpec> specs, int dim) {
        Folds foldRows = folds(prepared);
        int[] folds = foldRows.ids();
        int k = folds.length;
        LOG.info("zoo: {} candidates x {} folds, metric {}, parallelism {}, K={}, dim={}",
                specs.size(), k, config.metric(), config.parallelism(), labels.size(), dim);

        SurrogateModel[][] models = new SurrogateModel[specs.size()][k];
        ClassificationScores[][] scores = new ClassificationScores[specs.size()][k];
        double[][] fitSeconds = new double[specs.size()][k];

        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(config.parallelism(), r -> {
            Thread t = new Thread(r, "zoo-fit-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> futures = new ArrayList<>();
        Progress progress = new Progress(LOG, "zoo", (long) specs.size() * k, "fold fits", PROGRESS_SECONDS)
                .estimateAfter(config.parallelism());
        try {
            for (int s = 0; s < specs.size(); s++) {
                for (int f = 0; f < k; f++) {
                    int si = s;
                    int fi = f;
                    futures.add(pool.submit(() -> {
                        SurrogateSpec spec = specs.get(si);
                        int fold = folds[fi];
                        spark.sparkContext().setJobGroup("zoo/" + spec.name() + "/fold" + fold,
                                "zoo: fit " + spec.name() + " without fold " + fold, false);
                        try {
                            long t0 = System.nanoTime();
                            SurrogateModel m = fitOne(spec, dim, prepared.where(col(Columns.FOLD).notEqual(fold)));
                            fitSeconds[si][fi] = seconds(t0);
                            models[si][fi] = m;
                            scores[si][fi] = score(m.predict(prepared.where(col(Columns.FOLD).equalTo(fold))));
                            progress.advance(1, foldRows.total() - foldRows.rows()[fi]);
                            LOG.debug("zoo: {} fold {}/{}: fit {}s, accuracy {}, macro-F1 {}", spec.name(), fold, k,
                                    String.format("%.1f", fitSeconds[si][fi]),
                                    String.format("%.4f", scores[si][fi].accuracy()),
                                    String.format("%.4f", scores[si][fi].macroF1()));
                        } finally {
                            spark.sparkContext().clearJobGroup();
                        }
                        return null;
                    }));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    futures.get(i).get();
                } catch (ExecutionException e) {
                    futures.forEach(x -> x.cancel(true));
                    SurrogateSpec spec = specs.get(i / k);
                    Throwable cause = e.getCause();
                    if (cause instanceof TracerException te) {
                        throw te;
                    }
                    throw new TracerException("zoo: candidate " + spec.name() + " fold " + folds[i % k]
                            + " failed: " + cause, cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TracerException("zoo: interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }

        List<CandidateScore> results = new ArrayList<>();
        int best = -1;
        for (int s = 0; s < specs.size(); s++) {
            CandidateScore r = summarise(specs.get(s), scores[s], fitSeconds[s]);
            results.add(r);
            LOG.info("zoo: {} mean {} {} (std {}), accuracy {}, macro-F1 {}, fit {}s", r.name(), r.metric(),
                    String.format("%.4f", r.mean()), String.format("%.4f", r.std()),
                    String.format("%.4f", r.accuracyMean()), String.format("%.4f", r.macroF1Mean()),
                    String.format("%.1f", r.fitSeconds()));
            if (!Double.isNaN(r.mean()) && (best < 0 || r.mean() > results.get(best).mean())) {
                best = s;
            }
        }
        if (best < 0) {
            throw new TracerException("zoo: no candidate produced a score");
        }
        SurrogateSpec winnerSpec = specs.get(best);
        LOG.info("zoo: winner {} ({} {})", winnerSpec.name(), config.metric(),
                String.format("%.4f", results.get(best).mean()));

        Dataset<Row> outOfFold = null;
        for (int f = 0; f < k; f++) {
            Dataset<Row> part = SurrogateModel.addAgree(
                    models[best][f].predict(prepared.where(col(Columns.FOLD).equalTo(folds[f]))))
                    .select(Columns.TRACE_ID, Columns.FEATURES, Columns.LABEL_INDEX, Columns.PROBABILITY,
                            Columns.PREDICTION, Columns.AGREE, Columns.FOLD);
            outOfFold = outOfFold == null ? part : outOfFold.unionByName(part);
        }
        // The union has a partition set per fold: pack it, the gates iterate over it too.
        TrainingPartitions.Sized packed = TrainingPartitions.persist(outOfFold, "zoo out-of-fold");
        outOfFold = packed.rows();
        long oofRows = packed.count();
        LOG.debug("zoo: {} out-of-fold rows kept for the gates", oofRows);

        spark.sparkContext().setJobGroup("zoo/" + winnerSpec.name() + "/refit", "zoo: refit the winner", false);
        try {
            long t0 = System.nanoTime();
            SurrogateModel refit = fitOne(winnerSpec, dim, prepared);
            LOG.info("zoo: winner {} refitted on {} rows in {}s", winnerSpec.name(), oofRows,
                    String.format("%.1f", seconds(t0)));
            return new ZooResult(results, winnerSpec, refit, outOfFold);
        } finally {
            spark.sparkContext().clearJobGroup();
        }
    }

    /**
     * Features, label index with its metadata, and (when asked) folds; keeps only the columns the
     * models need. Refuses rows without a label index or features, naming one of them.
     */
    Dataset<Row> prepare(Dataset<Row> rows, boolean needFolds) {
        List<String> cols = Arrays.asList(rows.columns());
        if (!cols.contains(Columns.TRACE_ID)) {
            throw new BadInputException("zoo: rows lack column " + Columns.TRACE_ID);
        }
        Dataset<Row> r = Features.ensure(rows);
        r = cols.contains(Columns.LABEL_INDEX) ? labels.withLabelMetadata(r) : labels.withLabelIndex(r);
        if (needFolds && !cols.contains(Columns.FOLD)) {
            int k = config.folds();
            LOG.info("zoo: rows carry no {} column; assigning {} folds by hash of {}", Columns.FOLD, k, Columns.TRACE_ID);
            r = r.withColumn(Columns.FOLD, pmod(xxhash64(col(Columns.TRACE_ID),
                    lit(Seeds.derive(seed, "zoo/folds"))), lit(k)).cast("int"));
        }
        List<String> keep = new ArrayList<>(List.of(Columns.TRACE_ID, Columns.FEATURES, Columns.LABEL_INDEX));
        if (needFolds) {
            keep.add(Columns.FOLD);
        }
        r = r.select(keep.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));
        validate(r);
        return r;
    }

    private void validate(Dataset<Row> r) {
        Row bad = r.where(col(Columns.LABEL_INDEX).isNull().or(col(Columns.FEATURES).isNull()))
                .select(Columns.TRACE_ID, Columns.LABEL_INDEX).limit(1).collectAsList()
                .stream().findFirst().orElse(null);
        if (bad != null) {
            String why = bad.isNullAt(1)
                    ? "its teacher label is not in the label index (or " + Columns.LABEL_INDEX + " is null)"
                    : Columns.FEATURES + " is null (missing " + Columns.EMBEDDING + ")";
            throw new BadInputException("zoo: row " + bad.getString(0) + ": " + why);
        }
    }

    /** The fold ids in order and their row counts. */
    private record Folds(int[] ids, long[] rows) {
        long total() {
            return java.util.Arrays.stream(rows).sum();
        }
    }

    private static Folds folds(Dataset<Row> prepared) {
        List<Row> rows = prepared.groupBy(Columns.FOLD).agg(count(lit(1))).orderBy(Columns.FOLD).collectAsList();
        int[] folds = new int[rows.size()];
        long[] counts = new long[rows.size()];
        for (int i = 0; i < folds.length; i++) {
            if (rows.get(i).isNullAt(0)) {
                throw new BadInputException("zoo: a train row has a null " + Columns.FOLD);
            }
            folds[i] = ((Number) rows.get(i).get(0)).intValue();
            counts[i] = rows.get(i).getLong(1);
        }
        if (folds.length < 2) {
            throw new BadInputException("zoo: cross-validation needs at least 2 folds, the rows have "
                    + folds.length + " distinct " + Columns.FOLD + " values");
        }
        return new Folds(folds, counts);
    }

    private static int dimension(Dataset<Row> prepared) {
        List<Row> first = prepared.select(Columns.FEATURES).limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new BadInputException("zoo: no rows to train on");
        }
        return ((Vector) first.get(0).get(0)).size();
    }

    /** Confusion counts of a held-out fold against the teacher (a small aggregate). */
    static ClassificationScores score(Dataset<Row> predicted) {
        List<Row> rows = predicted.groupBy(Columns.LABEL_INDEX, Columns.PREDICTION).agg(count(lit(1)))
                .collectAsList();
        List<ClassificationScores.Cell> cells = new ArrayList<>(rows.size());
        for (Row r : rows) {
            cells.add(new ClassificationScores.Cell((int) r.getDouble(0), (int) r.getDouble(1), r.getLong(2)));
        }
        return ClassificationScores.of(cells);
    }

    private CandidateScore summarise(SurrogateSpec spec, ClassificationScores[] folds, double[] fitSeconds) {
        List<Double> metric = new ArrayList<>();
        double acc = 0;
        double f1 = 0;
        double secs = 0;
        for (int i = 0; i < folds.length; i++) {
            metric.add(folds[i].metric(config.metric()));
            acc += folds[i].accuracy();
            f1 += folds[i].macroF1();
            secs += fitSeconds[i];
        }
        double mean = metric.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double var = metric.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / Math.max(1, metric.size() - 1);
        return new CandidateScore(spec.name(), spec.kind().name(), config.metric(), metric, mean, Math.sqrt(var),
                acc / folds.length, f1 / folds.length, secs);
    }

    private SurrogateModel fitOne(SurrogateSpec spec, int dim, Dataset<Row> rows) {
        PipelineModel model = SurrogatePipelines.build(spec, dim, labels.size(), seedFor(spec)).fit(rows);
        return SurrogateModel.fitted(spec, labels, model, rows);
    }

    private int seedFor(SurrogateSpec spec) {
        return Seeds.deriveInt(seed, "zoo/" + spec.name());
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
