package io.tracer.audit;

import io.tracer.Columns;
import io.tracer.cli.AuditCommand;
import io.tracer.cli.AuditCommandAccess;
import io.tracer.lakehouse.MetricTable;
import io.tracer.route.RoutingFixture;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.*;

/** tracer audit on clean traffic (no violation) and on traffic with corrupted teacher labels (exit 3). */
class AuditJobTest {
    static RoutingFixture f;
    static SparkSession spark;

    @BeforeAll
    static void fit() {
        f = RoutingFixture.get();
        spark = f.spark;
    }

    @Test
    void cleanTrafficIsNoViolationAndTheTableHasOverallAndLabelRows() {
        AuditCommandAccess.Run run = AuditCommandAccess.audit(spark, f.config, "--policy", f.policyRoot(),
                "--traces", f.traffic, "--run-id", "audit-clean");
        AuditReport r = run.report();
        assertEquals(0, run.exitCode(), r.render());
        assertFalse(r.violated());
        assertEquals(3000, r.overall().rows());
        assertEquals(r.overall().handled(), r.overall().test().checked(), "every handled row has a teacher label");
        assertEquals(0, r.unchecked());
        assertTrue(r.overall().test().agreement() >= RoutingFixture.TARGET - 0.03, r.render());
        assertEquals(0.05, r.alpha());

        Dataset<Row> table = spark.read().format("delta").load(f.layout.uri(MetricTable.AUDIT))
                .where(col("run_id").equalTo("audit-clean"));
        assertEquals(1, table.where(col("scope").equalTo("overall")).count());
        assertEquals(RoutingFixture.LABELS, table.where(col("scope").equalTo("label")).count());
        Row overall = table.where(col("scope").equalTo("overall")).first();
        assertEquals(3000L, (long) overall.getAs("rows"));
        assertFalse(overall.<Boolean>getAs("violated"));
        assertTrue(overall.<Double>getAs("ci_lower") <= overall.<Double>getAs("agreement"));
        long labelRows = table.where(col("scope").equalTo("label")).agg(org.apache.spark.sql.functions.sum("rows"))
                .first().getLong(0);
        assertEquals(3000, labelRows);
    }

    @Test
    void corruptedTeacherLabelsAreASignificantViolationAndExitThree() {
        // 30% of rows get another label than the teacher's: agreement on handled rows drops ~30 points
        Dataset<Row> traffic = spark.read().format("delta").load(f.traffic);
        Dataset<Row> corrupted = traffic.withColumn(Columns.TEACHER,
                when(pmod(xxhash64(col(Columns.TRACE_ID)), lit(10)).lt(3),
                        concat(lit("label_00"), pmod(substring(col(Columns.TEACHER), -1, 1).cast("int").plus(1),
                                lit(RoutingFixture.LABELS)).cast("string")))
                        .otherwise(col(Columns.TEACHER)));
        String uri = f.uri("traffic-corrupted");
        corrupted.write().format("delta").save(uri);
        AuditCommandAccess.Run run = AuditCommandAccess.audit(spark, f.config, "--policy", f.policyRoot(),
                "--traces", uri, "--run-id", "audit-bad");
        assertEquals(AuditCommand.EXIT_VIOLATION, run.exitCode(), run.report().render());
        assertTrue(run.report().violated());
        assertTrue(run.report().overall().test().pValue() < 1e-6);
        assertTrue(run.report().overall().test().ciUpper() < RoutingFixture.TARGET);
        assertTrue(run.report().labels().stream().anyMatch(AuditReport.Line::violated), "some label flagged after Bonferroni");
    }

    @Test
    void handledRowsWithoutATeacherLabelOrOutsideTheShadowShareAreUnchecked() {
        Dataset<Row> traffic = spark.read().format("delta").load(f.traffic);
        String uri = f.uri("traffic-partly-labelled");
        traffic.withColumn(Columns.TEACHER, when(substring(col(Columns.TRACE_ID), -1, 1).equalTo("7"), lit(null))
                .otherwise(col(Columns.TEACHER))).write().format("delta").save(uri);
        AuditReport all = AuditCommandAccess.audit(spark, f.config, "--policy", f.policyRoot(), "--traces", uri,
                "--run-id", "audit-partly").report();
        assertEquals(3000, all.overall().rows());
        long handled = all.overall().handled();
        assertTrue(all.unchecked() > 0.05 * handled && all.unchecked() < 0.15 * handled, all.render());
        AuditReport half = AuditCommandAccess.audit(spark, f.config, "--policy", f.policyRoot(), "--traces", f.traffic,
                "--shadow-share", "0.5", "--run-id", "audit-half").report();
        double share = (double) half.overall().test().checked() / half.overall().handled();
        assertTrue(share > 0.42 && share < 0.58, "checked share " + share);
    }
}
