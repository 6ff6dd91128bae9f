package io.tracer.zoo;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.HashSample;
import io.tracer.Lineage;
import io.tracer.Seeds;
import io.tracer.TracerException;
import io.tracer.config.TracerConfig;
import io.tracer.log.Progress;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Chooses a surrogate on the train rows and fits it, in three steps whose cost, but for the
 * last, does not grow with the table:
 *
 * <ol>
 *   <li><b>Search</b> by successive halving: every candidate is fitted on a hash sample of
 *   {@code tracer.zoo.search-rows} train rows and scored (teacher macro-F1 or accuracy) on a
 *   holdout of up to {@code holdout-rows} other train rows; the better half is fitted again on
 *   twice the rows, and so on, until two candidates are left (the finalists) or a rung has used
 *   every row outside the holdout (then its best two are the finalists). Samples are nested and
 *   never meet the holdout. With one or two candidates there is no search.</li>
 *   <li><b>Cross-fit</b> of the finalists: k-fold on at most {@code out-of-fold-rows} train rows.
 *   Two finalists are decided here, by their mean fold score on the same folds, rather than on
 *   the search's small holdout: finalists are close by construction, and the better one on a few
 *   thousand rows need not be the better one on every row (on B3 at 100,000 traces the holdout
 *   preferred lr-1e-4 by 0.002 where the folds put lr-1e-3 ahead by 0.07). Their first folds go
 *   first; a finalist that trails there by more than {@code finalist-margin} stops. The winner's fold
 *   models' predictions of their held-out folds are the out-of-fold rows the gates (and RSB's
 *   second stages) learn from, since predictions on rows a model was fitted on would be
 *   over-confident.</li>
 *   <li><b>Final fit</b> of the winner on every train row: the surrogate that is certified and
 *   published. Once one finalist is left it does not depend on the folds, so it shares the step
 *   of its remaining folds.</li>
 * </ol>
 *
 * <p>Fits of a step are submitted from a small driver thread pool ({@code tracer.zoo.parallelism})
 * so Spark runs their jobs concurrently. Every fit, with the rows it saw, is a row of the
 * candidates table ({@link CandidateScore}).
 *
 * <p>Rows need {@link Columns#TRACE_ID}, {@link Columns#EMBEDDING} or {@link Columns#FEATURES},
 * and {@link Columns#LABEL_INDEX} or {@link Columns#TEACHER}. A {@link Columns#FOLD} column is used
 * as given (folds are its distinct values); without one, folds are pmod(xxhash64(trace_id, seed), k).
 */
public final class ZooTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(ZooTrainer.class);
    /** At most one progress line per this many seconds while fits run (each fit's scores are at DEBUG). */
    private static final double PROGRESS_SECONDS = 15;
    /** The holdout is at most this share of the train rows, so the search still has rows to fit on. */
    private static final double MAX_HOLDOUT_SHARE = 0.2;
    /** The sampling key ({@link HashSample}): nested rung samples, the holdout, the cross-fit sample. */
    private static final String KEY = "_zoo_key";

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
        Dataset<Row> prepared = prepare(rows, true);
        int dim = dimension(prepared);
        return train(prepared, SurrogateZoo.candidates(config, dim, labels.size()), dim);
    }

    /** Runs the given candidates (e.g. a hand-picked or cheaper set, or one for a second stage). */
    public ZooResult train(Dataset<Row> rows, List<SurrogateSpec> specs) {
        if (specs.isEmpty()) {
            throw new BadInputException("zoo: no candidate to train");
        }
        Dataset<Row> prepared = prepare(rows, true);
        return train(prepared, specs, dimension(prepared));
    }

    /** Fits one spec on all {@code rows}, without search or cross-fitting. */
    public SurrogateModel fit(SurrogateSpec spec, Dataset<Row> rows) {
        Dataset<Row> prepared = prepare(rows, false);
        TrainingPartitions.Sized packed = TrainingPartitions.persist(prepared, "zoo");
        try {
            return fitOne(spec, dimension(packed.rows()), packed.rows()).model();
        } finally {
            packed.rows().unpersist();
        }
    }

    /** A spec fitted again on more rows, with its candidates-table row. */
    public record Refit(SurrogateModel model, CandidateScore score) {}

    /**
     * Fits {@code spec} (the winner) on every row of {@code parts} together, e.g. the train and
     * selection rows, for publication: one fit like the final one ({@link CandidateScore#REFIT}).
     */
    public Refit refit(SurrogateSpec spec, List<Dataset<Row>> parts) {
        Dataset<Row> prepared = null;
        for (Dataset<Row> part : parts) {
            Dataset<Row> p = prepare(part, false);
            prepared = prepared == null ? p : prepared.union(p);
        }
        if (prepared == null) {
            throw new BadInputException("zoo: no rows to refit " + spec.name() + " on");
        }
        long n = prepared.count();
        Fitted f = fitAll(spec, prepared, n, dimension(prepared));
        LOG.info("zoo: {} refitted on {} rows in {} s{}", spec.name(), n,
                String.format("%.1f", f.seconds()), iterationNote(f));
        return new Refit(f.model(), new CandidateScore(spec.name(), spec.kind().name(), config.metric(),
                CandidateScore.REFIT, -1, n, 0, List.of(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                f.seconds(), f.iterations(), f.converged()));
    }

    private ZooResult train(Dataset<Row> prepared, List<SurrogateSpec> specs, int dim) {
        Dataset<Row> keyed = prepared.withColumn(KEY, HashSample.uniform(Seeds.derive(seed, "zoo/sample"), Columns.TRACE_ID));
        long n = keyed.count();
        if (n == 0) {
            throw new BadInputException("zoo: no rows to train on");
        }
        LOG.info("zoo: {} candidates on {} train rows, metric {}, K={}, dim={}", specs.size(), n, config.metric(),
                labels.size(), dim);
        List<CandidateScore> scores = new ArrayList<>();
        List<SurrogateSpec> finalists = specs.size() <= FINALISTS ? specs : search(keyed, n, specs, dim, scores);
        // The winner's fit on every row runs beside its folds once it is the only finalist left;
        // when both finalists went through every fold, after them, for the one that won.
        CrossFit crossFit = crossFit(finalists, keyed, n, dim, spec -> () -> fitAll(spec, prepared, n, dim));
        scores.addAll(crossFit.scores());
        SurrogateSpec winner = crossFit.winner();
        Fitted fin = crossFit.winnerOnAll();
        if (fin == null) {
            List<Callable<Fitted>> winnerOnAll = List.of(() -> fitAll(winner, prepared, n, dim));
            try {
                fin = runAll(winnerOnAll, List.of("zoo/" + winner.name() + "/final"), "fit on every row").get(0);
            } catch (RuntimeException e) {
                // no ZooResult will carry the out-of-fold rows to a caller that would release them
                crossFit.outOfFold().unpersist();
                throw e;
            }
        }
        scores.add(new CandidateScore(winner.name(), winner.kind().name(), config.metric(), CandidateScore.FINAL,
                -1, n, 0, List.of(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, fin.seconds(),
                fin.iterations(), fin.converged()));
        LOG.info("zoo: winner {} fitted on all {} train rows in {} s{}", winner.name(), n,
                String.format("%.1f", fin.seconds()), iterationNote(fin));
        return new ZooResult(scores, winner, fin.model(), crossFit.outOfFold());
    }

    // --- search ------------------------------------------------------------------------------

    /** Candidates the search hands to the cross-fit, which decides between them on its folds. */
    static final int FINALISTS = 2;

    /**
     * Successive halving over nested samples, scored on one holdout; returns the finalists (at
     * most {@link #FINALISTS}), best first.
     */
    private List<SurrogateSpec> search(Dataset<Row> keyed, long n, List<SurrogateSpec> specs, int dim,
                                 List<CandidateScore> scores) {
        long holdout = Math.max(1, Math.min(config.holdoutRows(), (long) Math.floor(MAX_HOLDOUT_SHARE * n)));
        long pool = n - holdout;
        if (pool < 1) {
            throw new BadInputException("zoo: " + n + " train rows are too few to search among " + specs.size()
                    + " candidates");
        }
        double holdoutFrom = 1.0 - (double) holdout / n;
        TrainingPartitions.Sized held = TrainingPartitions.persist(keyed.where(col(KEY).geq(holdoutFrom)),
                "zoo holdout");
        List<SurrogateSpec> alive = new ArrayList<>(specs);
        try {
            for (int rung = 0; ; rung++) {
                long wanted = Math.min(pool, (long) config.searchRows() << Math.min(rung, 40));
                boolean last = wanted >= pool;
                TrainingPartitions.Sized sample = TrainingPartitions.persist(
                        keyed.where(col(KEY).lt((double) wanted / n)), "zoo rung " + rung);
                try {
                    List<CandidateScore> rungScores = fitAndScore(alive, sample, held, dim, rung);
                    scores.addAll(rungScores);
                    List<Integer> order = bestFirst(rungScores.stream().mapToDouble(CandidateScore::mean).toArray());
                    if (Double.isNaN(rungScores.get(order.get(0)).mean())) {
                        throw new TracerException("zoo: no candidate produced a score at rung " + rung);
                    }
                    // the last rung (the whole pool) hands its best two to the cross-fit too: a larger
                    // sample than this holdout decides between them
                    int keep = last ? Math.min(FINALISTS, alive.size()) : (alive.size() + 1) / 2;
                    List<SurrogateSpec> next = new ArrayList<>();
                    for (int i = 0; i < keep; i++) {
                        next.add(alive.get(order.get(i)));
                    }
                    LOG.info("zoo: rung {} on {} rows, scored on {}: {}; {} go on", rung, sample.count(), held.count(),
                            describe(rungScores), next.stream().map(SurrogateSpec::name).toList());
                    alive = next;
                    if (alive.size() <= FINALISTS) {
                        return alive;
                    }
                } finally {
                    sample.rows().unpersist();
                }
            }
        } finally {
            held.rows().unpersist();
        }
    }

    /**
     * Submission order of a rung's fits: the costliest first, so the cheap ones fill the other
     * threads while it runs, instead of the costliest starting last and running alone. By kind, as
     * measured on Banking77 (README's zoo table: forest 708 s, xgb 380, tree 286, mlp-2 202,
     * mlp-1 106, logistic 30-60, naive Bayes 7); deeper and wider MLPs first. Only the order of
     * submission: scores come back in the configured order, so nothing downstream changes.
     */
    static final Comparator<SurrogateSpec> COSTLIEST_FIRST = Comparator
            .comparingInt((SurrogateSpec s) -> switch (s.kind()) {
                case FOREST -> 0;
                case XGBOOST -> 1;
                case TREE -> 2;
                case MLP -> 3;
                case LOGISTIC -> 4;
                case NAIVE_BAYES -> 5;
            })
            // among MLPs: more hidden layers first, then wider ones
            .thenComparingInt(s -> s.kind() == SurrogateSpec.Kind.MLP ? -s.intsParam("hidden").length : 0)
            .thenComparingInt(s -> s.kind() == SurrogateSpec.Kind.MLP
                    ? -Arrays.stream(s.intsParam("hidden")).sum() : 0);

    private List<CandidateScore> fitAndScore(List<SurrogateSpec> specs, TrainingPartitions.Sized sample,
                                             TrainingPartitions.Sized held, int dim, int rung) {
        List<SurrogateSpec> submitted = specs.stream().sorted(COSTLIEST_FIRST).toList();
        List<Callable<CandidateScore>> jobs = new ArrayList<>();
        for (SurrogateSpec spec : submitted) {
            jobs.add(() -> {
                Fitted f = fitOne(spec, dim, sample.rows());
                ClassificationScores s = score(f.model().predict(held.rows()));
                return new CandidateScore(spec.name(), spec.kind().name(), config.metric(), CandidateScore.SEARCH,
                        rung, sample.count(), held.count(), List.of(), s.metric(config.metric()), Double.NaN,
                        s.accuracy(), s.macroF1(), f.seconds(), f.iterations(), f.converged());
            });
        }
        List<CandidateScore> done = runAll(jobs, submitted.stream().map(s -> "zoo/" + s.name() + "/rung" + rung)
                .toList(), "search fits");
        return specs.stream().map(s -> done.get(submitted.indexOf(s))).toList();
    }

    private static String describe(List<CandidateScore> scores) {
        StringBuilder b = new StringBuilder();
        for (CandidateScore s : scores) {
            b.append(b.length() == 0 ? "" : ", ").append(s.name()).append(' ')
                    .append(String.format("%.4f", s.mean()));
        }
        return b.toString();
    }

    // --- cross-fit ---------------------------------------------------------------------------

    /**
     * @param scores      every finalist's cross-fit row, in the finalists' order
     * @param winner      the finalist with the best mean fold score
     * @param outOfFold   the winner's out-of-fold rows (persisted)
     * @param winnerOnAll the fit on every row when it ran beside the folds (one finalist went on
     *                    past the first folds); else null
     */
    private record CrossFit(List<CandidateScore> scores, SurrogateSpec winner, Dataset<Row> outOfFold,
                            Fitted winnerOnAll) {}

    /** What one job of a cross-fit step gives back. */
    private sealed interface StepFit permits FoldFit, EveryRowFit {}

    /** A finalist fitted without one fold, its predictions of that fold, and their scores. */
    private record FoldFit(Fitted fitted, Dataset<Row> predicted, ClassificationScores scores) implements StepFit {}

    /** The finalist that went on, fitted on every train row. */
    private record EveryRowFit(Fitted fitted) implements StepFit {}

    /** The Spark job group (as the Spark UI shows it) of {@code spec}'s fit without fold {@code fold}. */
    public static String foldGroup(SurrogateSpec spec, int fold) {
        return "zoo/" + spec.name() + "/fold" + fold;
    }

    /**
     * The finalists' k-fold fits on the out-of-fold sample (fold scores; the winner's out-of-fold
     * rows), and the winner's fit on every row ({@code onAll}) when it can run beside its folds.
     * Every finalist sees the same folds, so their fold scores compare like for like.
     *
     * <p>With two finalists, their first folds are fitted first. A finalist that trails there by
     * more than {@code finalist-margin} (or {@link #margin}'s floor on a small fold) stops: the
     * finalists are close by construction, so a gap that size on one fold of tens of thousands of
     * rows does not close on the next (on B3 at 100,000 traces, lr-1e-4 trailed lr-1e-3 by 0.075
     * on every fold, fold std 0.002), and its other folds would only cost time. The leader's
     * remaining folds then go to the pool with its fit on every row. Finalists within the margin
     * are fitted on every fold and the best mean wins (NaN last, ties to the earlier finalist);
     * the caller then fits it on every row. With
     * one finalist, its folds and its fit on every row go to the pool together, the longest (the
     * fit on every row) first.
     */
    private CrossFit crossFit(List<SurrogateSpec> finalists, Dataset<Row> keyed, long n, int dim,
                              Function<SurrogateSpec, Callable<Fitted>> onAll) {
        double share = Math.min(1.0, (double) config.outOfFoldRows() / n);
        Dataset<Row> sampled = share >= 1.0 ? keyed : keyed.where(col(KEY).lt(share));
        TrainingPartitions.Sized sample = TrainingPartitions.persist(sampled.drop(KEY), "zoo out-of-fold sample");
        try {
            Folds folds = folds(sample.rows());
            int k = folds.ids().length;
            FoldFit[][] fits = new FoldFit[finalists.size()][k];
            List<Integer> going = new ArrayList<>();
            for (int c = 0; c < finalists.size(); c++) {
                going.add(c);
            }
            int next = 0;
            if (finalists.size() > 1) {
                step(finalists, going, 0, 1, null, sample, folds, dim, fits, "first folds of the finalists");
                double[] first = new double[finalists.size()];
                for (int c = 0; c < first.length; c++) {
                    first[c] = fits[c][0].scores().metric(config.metric());
                }
                double margin = margin(config.finalistMargin(), folds.rows()[0]);
                going = withinMargin(first, margin);
                next = 1;
                if (going.size() < finalists.size()) {
                    int leader = going.get(0);
                    for (int c = 0; c < finalists.size(); c++) {
                        if (!going.contains(c)) {
                            LOG.info("zoo: {} stops after its first fold: {} (margin {} on {} rows)",
                                    finalists.get(c).name(), Double.isNaN(first[c]) ? "it has no " + config.metric()
                                            : String.format("%s %.4f, %.4f behind %s", config.metric(), first[c],
                                                    first[leader] - first[c], finalists.get(leader).name()),
                                    String.format("%.4f", margin), folds.rows()[0]);
                        }
                    }
                }
            }
            SurrogateSpec sole = going.size() == 1 ? finalists.get(going.get(0)) : null;
            Fitted winnerOnAll = step(finalists, going, next, k, sole == null ? null : onAll.apply(sole), sample,
                    folds, dim, fits, "cross-fit folds" + (sole != null ? " and the fit on every row" : ""));

            List<CandidateScore> scores = new ArrayList<>();
            for (int c = 0; c < finalists.size(); c++) {
                scores.add(crossFitScore(finalists.get(c), going.contains(c) ? k : next, fits[c], folds,
                        sample.count()));
            }
            // only the finalists that went on compete: a stopped one's mean is of one fold
            double[] means = new double[finalists.size()];
            for (int c = 0; c < means.length; c++) {
                means[c] = going.contains(c) ? scores.get(c).mean() : Double.NaN;
            }
            int best = bestFirst(means).get(0);
            if (Double.isNaN(means[best])) {
                throw new TracerException("zoo: no finalist produced a cross-fit score");
            }
            SurrogateSpec winner = finalists.get(best);
            List<Dataset<Row>> parts = new ArrayList<>();
            for (FoldFit f : fits[best]) {
                parts.add(f.predicted().select(Columns.TRACE_ID, Columns.FEATURES, Columns.LABEL_INDEX,
                        Columns.PROBABILITY, Columns.PREDICTION, Columns.AGREE, Columns.FOLD));
            }
            // The union has a partition set per fold: pack it, the gates iterate over it.
            Dataset<Row> outOfFold = parts.stream().reduce(Dataset::unionByName).orElseThrow();
            TrainingPartitions.Sized packed = TrainingPartitions.persist(outOfFold, "zoo out-of-fold");
            for (int c = 0; c < finalists.size(); c++) {
                CandidateScore score = scores.get(c);
                if (!going.contains(c)) {
                    continue;
                }
                LOG.info("zoo: {} cross-fitted on {} rows in {} folds: {} {} (std {}){}", score.name(), sample.count(),
                        k, config.metric(), String.format("%.4f", score.mean()), String.format("%.4f", score.std()),
                        c == best
                                ? "; " + packed.count() + " out-of-fold rows for the gates"
                                        + (going.size() > 1 ? " (the better finalist)" : "")
                                : "");
            }
            return new CrossFit(scores, winner, packed.rows(), winnerOnAll);
        } finally {
            sample.rows().unpersist();
        }
    }

    /**
     * The margin a finalist may trail by on the first fold and go on: the configured one, but at
     * least 2/sqrt(rows in that fold), about twice the largest standard error of a difference in
     * accuracy on that many rows, so on a small table one fold's noise cannot stop the better
     * finalist (400 rows: 0.1; B3's 16,700: the configured 0.02).
     */
    static double margin(double configured, long firstFoldRows) {
        return Math.max(configured, 2.0 / Math.sqrt(Math.max(1, firstFoldRows)));
    }

    /**
     * Indices of {@code scores}, best (highest) first; NaN scores last; ties keep the index order,
     * so the earlier (configured) candidate wins them.
     */
    static List<Integer> bestFirst(double[] scores) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> Double.isNaN(scores[i]) ? Double.POSITIVE_INFINITY
                : -scores[i]).thenComparingInt(i -> i));
        return order;
    }

    /**
     * Finalists (indices, best first) whose first-fold score is within {@code margin} of the best
     * one's; a NaN score is never within it. When no finalist has a score, all go on (the
     * cross-fit then fails, naming it).
     */
    static List<Integer> withinMargin(double[] firstFold, double margin) {
        List<Integer> order = bestFirst(firstFold);
        double best = firstFold[order.get(0)];
        if (Double.isNaN(best)) {
            return List.copyOf(order);
        }
        return order.stream().filter(c -> !Double.isNaN(firstFold[c]) && best - firstFold[c] <= margin).toList();
    }

    /**
     * Runs one cross-fit step: each finalist in {@code who} without each fold in
     * [{@code fromFold}, {@code toFold}), and {@code onAll} when given; fills {@code fits} and
     * returns the fit on every row (null without {@code onAll}).
     */
    private Fitted step(List<SurrogateSpec> finalists, List<Integer> who, int fromFold, int toFold,
                        Callable<Fitted> onAll, TrainingPartitions.Sized sample, Folds folds, int dim,
                        FoldFit[][] fits, String what) {
        List<Callable<StepFit>> jobs = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<int[]> slots = new ArrayList<>();
        if (onAll != null) {
            jobs.add(() -> new EveryRowFit(onAll.call()));
            groups.add("zoo/" + finalists.get(who.get(0)).name() + "/final");
            slots.add(null);
        }
        for (int c : who) {
            SurrogateSpec spec = finalists.get(c);
            for (int f = fromFold; f < toFold; f++) {
                int fold = folds.ids()[f];
                jobs.add(() -> foldFit(spec, dim, sample.rows(), fold));
                groups.add(foldGroup(spec, fold));
                slots.add(new int[] {c, f});
            }
        }
        List<StepFit> done = runAll(jobs, groups, what);
        Fitted everyRow = null;
        for (int i = 0; i < done.size(); i++) {
            if (done.get(i) instanceof FoldFit f) {
                fits[slots.get(i)[0]][slots.get(i)[1]] = f;
            } else if (done.get(i) instanceof EveryRowFit e) {
                everyRow = e.fitted();
            }
        }
        return everyRow;
    }

    /** {@code spec} fitted on the sample without {@code fold}, predicting and scoring that fold. */
    private FoldFit foldFit(SurrogateSpec spec, int dim, Dataset<Row> sample, int fold) {
        Fitted fitted = fitOne(spec, dim, sample.where(col(Columns.FOLD).notEqual(fold)));
        Dataset<Row> predicted = SurrogateModel.addAgree(fitted.model()
                .predict(sample.where(col(Columns.FOLD).equalTo(fold))));
        return new FoldFit(fitted, predicted, score(predicted));
    }

    /**
     * A finalist's cross-fit row over its first {@code ran} folds: every fold when it went on,
     * the first only when it stopped there (then it was scored on that fold's rows alone, and its
     * std is undefined).
     */
    private CandidateScore crossFitScore(SurrogateSpec spec, int ran, FoldFit[] fits, Folds folds, long sampleRows) {
        List<Double> metric = new ArrayList<>();
        double acc = 0;
        double f1 = 0;
        double secs = 0;
        Integer iterations = null;
        Boolean converged = null;
        for (int f = 0; f < ran; f++) {
            FoldFit fit = fits[f];
            metric.add(fit.scores().metric(config.metric()));
            acc += fit.scores().accuracy();
            f1 += fit.scores().macroF1();
            secs += fit.fitted().seconds();
            if (fit.fitted().iterations() != null) {
                iterations = iterations == null ? fit.fitted().iterations()
                        : Math.max(iterations, fit.fitted().iterations());
                converged = (converged == null || converged) && fit.fitted().converged();
            }
        }
        double mean = metric.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double std = ran < 2 ? Double.NaN : Math.sqrt(metric.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum()
                / (ran - 1));
        long evalRows = ran == folds.ids().length ? sampleRows : Arrays.stream(folds.rows()).limit(ran).sum();
        return new CandidateScore(spec.name(), spec.kind().name(), config.metric(), CandidateScore.CROSS_FIT, -1,
                sampleRows - folds.rows()[0], evalRows, metric, mean, std, acc / ran, f1 / ran, secs, iterations,
                converged);
    }

    // --- fitting -----------------------------------------------------------------------------

    /** A fitted model with what the candidates table records of the fit. */
    private record Fitted(SurrogateModel model, double seconds, Integer iterations, Boolean converged) {}

    /**
     * The winner on every row. The rows are not persisted here: iterative MLlib fits cache their
     * own (standardised, blocked) copy, so caching the input too would hold the table twice.
     * They are only brought to the partition count {@link TrainingPartitions} wants.
     */
    private Fitted fitAll(SurrogateSpec spec, Dataset<Row> prepared, long n, int dim) {
        int wanted = TrainingPartitions.target(n, spark.sparkContext().defaultParallelism());
        // a small table is copied without its lineage, as TrainingPartitions does for the samples
        Lineage.Detached detached = Lineage.detached(prepared, n, TrainingPartitions.DETACHED_MAX_VALUES);
        try {
            return fitOne(spec, dim, TrainingPartitions.repack(detached.rows(), wanted));
        } finally {
            detached.release().run();
        }
    }

    private Fitted fitOne(SurrogateSpec spec, int dim, Dataset<Row> rows) {
        long t0 = System.nanoTime();
        Dataset<Row> fitRows = spec.kind() == SurrogateSpec.Kind.XGBOOST ? XgboostRows.ordered(rows) : rows;
        PipelineModel model = SurrogatePipelines.build(spec, dim, labels.size(), seedFor(spec)).fit(fitRows);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Integer iterations = iterations(model);
        Boolean converged = iterations == null || !spec.params().containsKey("maxIter") ? null
                : iterations < spec.intParam("maxIter");
        return new Fitted(SurrogateModel.fitted(spec, labels, model, rows), seconds, iterations, converged);
    }

    /** Optimizer iterations of an iteratively fitted model (logistic regression, MLP); else null. */
    static Integer iterations(PipelineModel model) {
        org.apache.spark.ml.Transformer last = model.stages()[model.stages().length - 1];
        if (last instanceof LogisticRegressionModel lr && lr.hasSummary()) {
            return lr.summary().totalIterations();
        }
        if (last instanceof MultilayerPerceptronClassificationModel mlp && mlp.hasSummary()) {
            return mlp.summary().totalIterations();
        }
        return null;
    }

    private static String iterationNote(Fitted f) {
        if (f.iterations() == null) {
            return "";
        }
        return ", " + f.iterations() + " iterations (" + (f.converged() ? "converged" : "stopped at the cap") + ")";
    }

    /** Runs {@code jobs} on the zoo's thread pool, each in its own Spark job group; results in order. */
    private <T> List<T> runAll(List<Callable<T>> jobs, List<String> groups, String what) {
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(config.parallelism(), r -> {
            Thread t = new Thread(r, "zoo-fit-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Progress progress = new Progress(LOG, "zoo", jobs.size(), what, PROGRESS_SECONDS)
                .estimateAfter(config.parallelism());
        List<Future<T>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < jobs.size(); i++) {
                Callable<T> job = jobs.get(i);
                String group = groups.get(i);
                futures.add(pool.submit(() -> {
                    spark.sparkContext().setJobGroup(group, "zoo: " + group, false);
                    try {
                        T out = job.call();
                        progress.advance(1, 0);
                        return out;
                    } finally {
                        spark.sparkContext().clearJobGroup();
                    }
                }));
            }
            List<T> out = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    futures.forEach(x -> x.cancel(true));
                    Throwable cause = e.getCause();
                    if (cause instanceof TracerException te) {
                        throw te;
                    }
                    throw new TracerException("zoo: " + groups.get(i) + " failed: " + cause, cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TracerException("zoo: interrupted", e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    // --- rows --------------------------------------------------------------------------------

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
        r = r.select(keep.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
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
    private record Folds(int[] ids, long[] rows) {}

    private static Folds folds(Dataset<Row> rows) {
        List<Row> counts = rows.groupBy(Columns.FOLD).agg(count(lit(1))).orderBy(Columns.FOLD).collectAsList();
        int[] ids = new int[counts.size()];
        long[] n = new long[counts.size()];
        for (int i = 0; i < ids.length; i++) {
            if (counts.get(i).isNullAt(0)) {
                throw new BadInputException("zoo: a train row has a null " + Columns.FOLD);
            }
            ids[i] = ((Number) counts.get(i).get(0)).intValue();
            n[i] = counts.get(i).getLong(1);
        }
        if (ids.length < 2) {
            throw new BadInputException("zoo: cross-fitting needs at least 2 folds, the rows have "
                    + ids.length + " distinct " + Columns.FOLD + " values");
        }
        return new Folds(ids, n);
    }

    private static int dimension(Dataset<Row> prepared) {
        List<Row> first = prepared.select(Columns.FEATURES).limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new BadInputException("zoo: no rows to train on");
        }
        return ((Vector) first.get(0).get(0)).size();
    }

    /** Confusion counts of predicted rows against the teacher (a small aggregate). */
    static ClassificationScores score(Dataset<Row> predicted) {
        List<Row> rows = predicted.groupBy(Columns.LABEL_INDEX, Columns.PREDICTION).agg(count(lit(1)))
                .collectAsList();
        List<ClassificationScores.Cell> cells = new ArrayList<>(rows.size());
        for (Row r : rows) {
            cells.add(new ClassificationScores.Cell((int) r.getDouble(0), (int) r.getDouble(1), r.getLong(2)));
        }
        return ClassificationScores.of(cells);
    }

    private int seedFor(SurrogateSpec spec) {
        return Seeds.deriveInt(seed, "zoo/" + spec.name());
    }
}
