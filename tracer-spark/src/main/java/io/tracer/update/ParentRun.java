package io.tracer.update;

import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.lakehouse.LakehouseTables;
import io.tracer.lakehouse.MetricTable;
import io.tracer.lakehouse.MetricTables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;

/**
 * Finds the run an update follows: the latest succeeded run in the runs table whose traces were
 * the same trace history. A failed or still running update is no one's parent, so a failure
 * does not break the chain: the next update links to the last run that finished.
 */
public final class ParentRun {
    private ParentRun() {}

    /**
     * @param historyUri the qualified history URI ({@link HistoryTable#uri()}), as the runs table records it
     * @param runId      this run, never its own parent (a re-run of the same id)
     */
    public static Optional<String> latestSucceeded(SparkSession spark, LakehouseLayout layout, String historyUri,
                                                   String runId) {
        LakehouseTables tables = new LakehouseTables(spark, layout);
        if (!tables.exists(MetricTable.RUNS)) {
            return Optional.empty();
        }
        List<Row> latest = tables.read(MetricTable.RUNS)
                .where(col("traces_uri").equalTo(historyUri)
                        .and(col("status").equalTo("succeeded"))
                        .and(col(MetricTables.RUN_ID).notEqual(runId)))
                .orderBy(col("finished_at").desc_nulls_last(), col(MetricTables.RUN_ID).desc())
                .select(MetricTables.RUN_ID)
                .limit(1)
                .collectAsList();
        return latest.isEmpty() ? Optional.empty() : Optional.of(latest.get(0).getString(0));
    }
}
