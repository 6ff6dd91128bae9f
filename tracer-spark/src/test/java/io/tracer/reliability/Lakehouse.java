package io.tracer.reliability;

import io.delta.tables.DeltaTable;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest;
import io.tracer.policy.PolicyStore;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads a lakehouse the way the reliability invariants need it. */
final class Lakehouse {
    final SparkSession spark;
    final String root;

    Lakehouse(SparkSession spark, String root) {
        this.spark = spark;
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    String table(String name) {
        return root + "/" + name;
    }

    boolean exists(String name) {
        return DeltaTable.isDeltaTable(spark, table(name));
    }

    /** Rows of {@code runId} in a metric table (0 when the table does not exist). */
    long rows(String name, String runId) {
        if (!exists(name)) {
            return 0;
        }
        return spark.read().format("delta").load(table(name)).where(col("run_id").equalTo(runId)).count();
    }

    Optional<Row> run(String runId) {
        if (!exists("runs")) {
            return Optional.empty();
        }
        Dataset<Row> rows = spark.read().format("delta").load(table("runs")).where(col("run_id").equalTo(runId));
        long n = rows.count();
        assertTrue(n <= 1, "the runs table has " + n + " rows for run " + runId);
        return n == 0 ? Optional.empty() : Optional.of(rows.first());
    }

    PolicyStore store() {
        return new PolicyStore(root + "/policies", spark.sparkContext().hadoopConfiguration());
    }

    /**
     * The current policy, checked complete: its manifest loads and every model path it names
     * exists. Empty when nothing is current.
     */
    Optional<LoadedPolicy> completeCurrent() throws IOException {
        Optional<LoadedPolicy> current = store().current();
        if (current.isEmpty()) {
            return current;
        }
        LoadedPolicy p = current.get();
        var conf = spark.sparkContext().hadoopConfiguration();
        for (PolicyManifest.Stage s : p.manifest().stages()) {
            for (String rel : new String[] {s.surrogatePath(), s.gatePath(), s.portablePath()}) {
                if (rel != null) {
                    Path path = new Path(p.resolve(rel));
                    assertTrue(path.getFileSystem(conf).exists(path), "current policy " + p.versionId() + " lacks " + rel);
                }
            }
        }
        return current;
    }

    /** The trace history: asserts one row per trace id and returns the row count. */
    static long historyWithoutDuplicates(SparkSession spark, String history) {
        if (!DeltaTable.isDeltaTable(spark, history)) {
            return 0;
        }
        Dataset<Row> h = spark.read().format("delta").load(history);
        long n = h.count();
        assertEquals(n, h.select("trace_id").distinct().count(), "duplicate trace ids in the history " + history);
        return n;
    }
}
