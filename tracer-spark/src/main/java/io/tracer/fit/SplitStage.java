package io.tracer.fit;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.Lineage;
import io.tracer.config.TracerConfig;
import io.tracer.split.FoldAssigner;
import io.tracer.split.SplitAssigner;
import io.tracer.traces.LoadedTraces;
import io.tracer.zoo.LabelIndex;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * Stage split: every trace to train, selection or calibration (stratified, from a hash of
 * trace id and seed), the label index (from the train and selection rows), the model features,
 * and CV folds on the train rows.
 */
public final class SplitStage implements FitStage<EmbedStage.Embedded, FitData> {
    private static final Logger LOG = LoggerFactory.getLogger(SplitStage.class);

    private final TracerConfig config;

    public SplitStage(TracerConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "split";
    }

    @Override
    public String describe(EmbedStage.Embedded input) {
        return "split " + config.split() + " with seed " + config.seed();
    }

    @Override
    public long rows(EmbedStage.Embedded input, FitData data) {
        return data.validRows();
    }

    @Override
    public FitData run(EmbedStage.Embedded input) {
        Dataset<Row> split = new FoldAssigner(config.zoo().folds(), config.seed())
                .assign(new SplitAssigner(config.split(), config.seed()).assign(input.traces()));
        // The label space comes from train and selection only: a label that only calibration has
        // must not change the surrogate's width or the gates' entropy feature (calibration is read
        // by certification alone). Its calibration rows get a null label index and never agree.
        LabelIndex labels = LabelIndex.fromTeacher(split.where(col(Columns.SPLIT).isin(Columns.TRAIN, Columns.SELECTION)));
        if (labels.size() < 2) {
            throw new BadInputException("the traces have one teacher label only ('" + labels.label(0) + "', "
                    + input.loaded().validCount() + " valid rows): a surrogate needs at least two labels to choose "
                    + "between; fit on traces with more than one label");
        }
        warnCaseOnlyDifferences(labels);
        // Persisted once, with the embedding as read (float) rather than the models' double
        // vectors: half the memory, and each stage builds its features on the fly.
        Dataset<Row> rows = Lineage.persistCut(labels.withLabelIndex(split)
                .select(Columns.TRACE_ID, Columns.INPUT, Columns.TEACHER, Columns.LABEL_INDEX, Columns.EMBEDDING,
                        Columns.SPLIT, Columns.FOLD));
        Dataset<Row> train = rows.where(col(Columns.SPLIT).equalTo(Columns.TRAIN));
        Dataset<Row> selection = rows.where(col(Columns.SPLIT).equalTo(Columns.SELECTION)).drop(Columns.FOLD);
        Dataset<Row> calibration = rows.where(col(Columns.SPLIT).equalTo(Columns.CALIBRATION)).drop(Columns.FOLD);
        Map<String, Long> counts = splitCounts(rows);
        input.release().run(); // the rows above are persisted now; the embed stage's vectors are not read again
        long nTrain = counts.getOrDefault(Columns.TRAIN, 0L);
        long nSel = counts.getOrDefault(Columns.SELECTION, 0L);
        long nCal = counts.getOrDefault(Columns.CALIBRATION, 0L);
        LOG.info("{} labels; train {} / selection {} / calibration {} rows; encoder {} ({}-d)",
                labels.size(), nTrain, nSel, nCal, input.encoder().id(), input.encoder().dim());
        if (nTrain == 0 || nSel == 0 || nCal == 0) {
            throw new BadInputException("the trace table is too small to split: train " + nTrain
                    + ", selection " + nSel + ", calibration " + nCal + " rows");
        }
        LoadedTraces loaded = input.loaded();
        RowAccounting accounting = new RowAccounting(loaded.readCount(), loaded.invalidCount(),
                loaded.duplicateCount(), nTrain, nSel, nCal);
        return new FitData(input.request(), input.encoder(), labels, train, selection, calibration, accounting,
                loaded.deltaVersion());
    }

    /** Labels that differ only by case are kept apart (they may mean different things); say so. */
    private static void warnCaseOnlyDifferences(LabelIndex labels) {
        Map<String, java.util.List<String>> byLower = new java.util.TreeMap<>();
        for (String l : labels.labels()) {
            byLower.computeIfAbsent(l.toLowerCase(java.util.Locale.ROOT), k -> new java.util.ArrayList<>()).add(l);
        }
        byLower.values().stream().filter(v -> v.size() > 1).forEach(v -> LOG.warn(
                "teacher labels {} differ only by case: they are kept as {} distinct labels (surrounding "
                        + "whitespace is dropped, case is not); normalise the teacher's output if they mean the same",
                v, v.size()));
    }

    private static Map<String, Long> splitCounts(Dataset<Row> rows) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Row r : rows.groupBy(Columns.SPLIT).count().collectAsList()) {
            counts.put(r.getString(0), r.getLong(1));
        }
        return counts;
    }
}
