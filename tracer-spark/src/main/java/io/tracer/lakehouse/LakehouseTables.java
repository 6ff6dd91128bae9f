package io.tracer.lakehouse;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Reads the metric tables the way {@link DeltaWriter} writes them: by catalog name when the
 * layout has a catalog prefix, else by path. Every reader of a metric table (the report, update's
 * parent lookup and label deltas, ...) goes through here, so the two addressings never mix.
 */
public final class LakehouseTables {
    private final SparkSession spark;
    private final LakehouseLayout layout;

    public LakehouseTables(SparkSession spark, LakehouseLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    /** True when the table exists (no run wrote it yet otherwise). */
    public boolean exists(MetricTable table) {
        return layout.catalogTable(table)
                .map(name -> spark.catalog().tableExists(name))
                .orElseGet(() -> DeltaTable.isDeltaTable(spark, layout.uri(table)));
    }

    /** The whole table (lazily); it must exist. */
    public Dataset<Row> read(MetricTable table) {
        return layout.catalogTable(table)
                .map(spark::table)
                .orElseGet(() -> spark.read().format("delta").load(layout.uri(table)));
    }

    /** One run's rows, collected (a metric table holds a few rows per run); empty when the table does not exist. */
    public List<Row> runRows(MetricTable table, String runId) {
        if (!exists(table)) {
            return List.of();
        }
        return read(table).where(col(MetricTables.RUN_ID).equalTo(runId)).collectAsList();
    }

    /** How SQL names the table ({@link LakehouseLayout#sqlName}), for messages and queries. */
    public String sqlName(MetricTable table) {
        return layout.sqlName(table);
    }
}
