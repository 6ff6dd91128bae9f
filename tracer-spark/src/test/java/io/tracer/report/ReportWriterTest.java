package io.tracer.report;

import io.tracer.route.RoutingFixture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracer.Columns;
import io.tracer.calibrate.Certification;
import io.tracer.config.TracerConfig;
import io.tracer.fit.FitResult;
import io.tracer.fit.FitRun;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.route.BatchRouter;
import io.tracer.route.RouteColumns;
import io.tracer.route.RoutingPlan;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The qualitative report of one small synthetic fit (8 labels, 16 dimensions, l2d only so that
 * the policy defers some rows by gate score and the OOD gate some more): the three tables
 * against the certificate and against routing the calibration rows with BatchRouter, and the
 * HTML page.
 */
class ReportWriterTest {
    static final String RUN = RoutingFixture.RUN_ID;
    @TempDir
    static Path dir;
    static SparkSession spark;
    static TracerConfig config;
    static LakehouseLayout layout;
    static FitRun.Finished finished;
    static FitResult fit;
    static String reportUri;
    /** The calibration rows as BatchRouter routes them with the deployed plan. */
    static Dataset<Row> routedByRouter;

    /** The routing tests' shared fit (l2d only, deploy target 0.92): one fit per test JVM. */
    @BeforeAll
    static void fitOnce() {
        RoutingFixture f = RoutingFixture.get();
        spark = f.spark;
        config = f.config;
        layout = f.layout;
        finished = f.fit;
        fit = finished.fit();
        reportUri = new ReportWriter(spark, config, layout).write(fit.reportInput(), finished.policy().orElseThrow().uri());
        RoutingPlan plan = RoutingPlan.of(fit.deployed(), fit.data().labels(), fit.data().encoder().dim(), fit.ood());
        routedByRouter = new BatchRouter(plan).route(fit.data().calibration()).cache();
    }

    static Dataset<Row> table(String uri) {
        return spark.read().format("delta").load(uri).where(col("run_id").equalTo(RUN));
    }

    @Test
    void theFixtureDeploysAPolicyThatHandlesSomeRowsAndDefersOthers() {
        assertTrue(fit.deployed().certified().isPresent(), finished.summary());
        Row all = table(layout.slices()).where(col("dimension").equalTo("all")).first();
        assertTrue(all.<Long>getAs("handled") > 0);
        assertTrue(all.<Long>getAs("handled") < all.<Long>getAs("rows"));
    }

    @Test
    void slicesAddUpAndTheOverallRowIsTheCertificate() {
        Certification.Certified c = fit.deployed().certified().orElseThrow();
        Dataset<Row> slices = table(layout.slices());
        Row all = slices.where(col("dimension").equalTo("all")).first();
        assertEquals(fit.data().calibrationRows(), all.<Long>getAs("rows"));
        assertEquals(c.accepted(), all.<Long>getAs("handled"));
        assertEquals(c.agreeing(), all.<Long>getAs("agreeing"));
        assertEquals(0.92, all.<Double>getAs("target"), 1e-12);
        assertEquals(all.<Long>getAs("handled"), all.<Long>getAs("handled_stage1") + all.<Long>getAs("handled_stage2"));
        assertEquals(all.<Long>getAs("rows") - all.<Long>getAs("handled"),
                all.<Long>getAs("deferred_gate") + all.<Long>getAs("deferred_ood"));
        for (String dimension : List.of("label", "input_length")) {
            Row sum = slices.where(col("dimension").equalTo(dimension))
                    .agg(org.apache.spark.sql.functions.sum("rows"), org.apache.spark.sql.functions.sum("handled"),
                            org.apache.spark.sql.functions.sum("agreeing")).first();
            assertEquals(all.<Long>getAs("rows"), sum.getLong(0), dimension);
            assertEquals(all.<Long>getAs("handled"), sum.getLong(1), dimension);
            assertEquals(all.<Long>getAs("agreeing"), sum.getLong(2), dimension);
        }
        assertEquals(8, slices.where(col("dimension").equalTo("label")).count());
        // terciles are ordered by length and do not overlap
        Map<String, Row> t = slices.where(col("dimension").equalTo("input_length")).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("slice"), r -> r));
        assertEquals(Set.of("short", "medium", "long"), t.keySet());
        assertTrue(t.get("short").<Integer>getAs("length_max") < t.get("medium").<Integer>getAs("length_min"));
        assertTrue(t.get("medium").<Integer>getAs("length_max") < t.get("long").<Integer>getAs("length_min"));
        for (Row r : t.values()) {
            // terciles of 20 evenly spread tail lengths: none holds more than about half the rows
            assertTrue(r.<Long>getAs("rows") < 0.5 * all.<Long>getAs("rows"), r.toString());
        }
        for (Row r : slices.collectAsList()) {
            long handled = r.getAs("handled");
            assertEquals((double) handled / r.<Long>getAs("rows"), r.<Double>getAs("handled_share"), 1e-12);
            if (handled == 0) {
                assertNull(r.getAs("agreement_on_handled"));
            }
        }
    }

    @Test
    void perLabelDecisionsAreWhatBatchRouterDoesWithTheDeployedPlan() {
        Map<String, long[]> byRouter = new HashMap<>();
        for (Row r : routedByRouter.groupBy(Columns.TEACHER).agg(
                org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)),
                org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.when(
                        col(RouteColumns.DECISION).equalTo(RouteColumns.HANDLED), 1L).otherwise(0L)),
                org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.when(
                        col(RouteColumns.REASON).equalTo(RouteColumns.OUT_OF_DISTRIBUTION), 1L).otherwise(0L)))
                .collectAsList()) {
            byRouter.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2), r.getLong(3)});
        }
        List<Row> labels = table(layout.slices()).where(col("dimension").equalTo("label")).collectAsList();
        assertEquals(byRouter.size(), labels.size());
        for (Row r : labels) {
            long[] expected = byRouter.get(r.<String>getAs("slice"));
            assertArrayEquals(expected, new long[] {r.getAs("rows"), r.getAs("handled"), r.getAs("deferred_ood")},
                    r.<String>getAs("slice"));
        }
    }

    @Test
    void boundaryPairsJoinAHandledAndADeferredRowOfTheSameLabelNearestFirst() {
        List<Row> pairs = table(layout.boundaryPairs()).orderBy("label", "rank").collectAsList();
        assertFalse(pairs.isEmpty());
        Map<String, String> decision = new HashMap<>();
        Map<String, String> teacher = new HashMap<>();
        Map<String, Vector> features = new HashMap<>();
        for (Row r : routedByRouter.select(Columns.TRACE_ID, RouteColumns.DECISION, Columns.TEACHER, Columns.FEATURES)
                .collectAsList()) {
            decision.put(r.getString(0), r.getString(1));
            teacher.put(r.getString(0), r.getString(2));
            features.put(r.getString(0), r.getAs(3));
        }
        Map<String, Integer> perLabel = new HashMap<>();
        Map<String, Double> lastDistance = new HashMap<>();
        for (Row p : pairs) {
            String label = p.getAs("label");
            String h = p.getAs("handled_trace_id");
            String d = p.getAs("deferred_trace_id");
            assertEquals(RouteColumns.HANDLED, decision.get(h), h);
            assertEquals(RouteColumns.DEFERRED, decision.get(d), d);
            assertEquals(label, teacher.get(h));
            assertEquals(label, teacher.get(d));
            int rank = p.getAs("rank");
            assertEquals(perLabel.merge(label, 1, Integer::sum), rank, "ranks run 1, 2, ... per label");
            double distance = p.getAs("distance");
            assertTrue(distance >= lastDistance.getOrDefault(label, 0.0), "closest first");
            lastDistance.put(label, distance);
            assertEquals(euclidean(features.get(h), features.get(d)), distance, 1e-9);
            assertNotNull(p.getAs("deferred_reason"));
        }
        perLabel.values().forEach(n -> assertTrue(n <= config.report().boundaryPairs()));
        // a deferred row appears once per label
        assertEquals(pairs.size(), pairs.stream().map(p -> p.<String>getAs("deferred_trace_id")).distinct().count());
    }

    private static double euclidean(Vector a, Vector b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            double x = a.apply(i) - b.apply(i);
            s += x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void examplesAreBoundedPerLabelAndDecisionAndCarryTheRoutedDecision() {
        List<Row> examples = table(layout.examples()).collectAsList();
        assertFalse(examples.isEmpty());
        Map<String, String> decision = new HashMap<>();
        for (Row r : routedByRouter.select(Columns.TRACE_ID, RouteColumns.DECISION).collectAsList()) {
            decision.put(r.getString(0), r.getString(1));
        }
        Map<String, Long> counts = examples.stream().collect(Collectors.groupingBy(
                r -> r.getAs("label") + "/" + r.getAs("decision"), Collectors.counting()));
        counts.forEach((k, n) -> assertTrue(n <= config.report().examplesPerLabel(), k + ": " + n));
        assertTrue(counts.keySet().stream().anyMatch(k -> k.endsWith("/handled")));
        assertTrue(counts.keySet().stream().anyMatch(k -> k.endsWith("/deferred")));
        for (Row r : examples) {
            assertEquals(decision.get(r.<String>getAs("trace_id")), r.getAs("decision"));
            assertEquals(r.<String>getAs("label"), r.getAs("teacher"));
            assertNotNull(r.getAs("input"));
        }
    }

    @Test
    void writingAgainReplacesTheRunsRowsWithTheSameSample() {
        List<String> before = table(layout.examples()).orderBy("trace_id").collectAsList().stream()
                .map(r -> r.<String>getAs("trace_id")).toList();
        long slices = table(layout.slices()).count();
        long pairs = table(layout.boundaryPairs()).count();
        new ReportWriter(spark, config, layout).writeTables(fit.reportInput());
        assertEquals(slices, table(layout.slices()).count());
        assertEquals(pairs, table(layout.boundaryPairs()).count());
        assertEquals(before, table(layout.examples()).orderBy("trace_id").collectAsList().stream()
                .map(r -> r.<String>getAs("trace_id")).toList());
    }

    @Test
    void thePageIsSelfContainedAndCarriesTheRunsData() throws IOException {
        assertEquals(layout.report(RUN), reportUri);
        assertTrue(reportUri.endsWith("/reports/" + RUN + ".html"));
        String html = Files.readString(Path.of(URI.create(reportUri)), StandardCharsets.UTF_8);
        assertTrue(html.length() > 1_000_000, "echarts is inlined");
        assertTrue(html.contains("tracer report: run " + RUN));
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*[\"']?(https?:)?//", Pattern.CASE_INSENSITIVE)
                .matcher(html).find(), "no network resources");
        for (String label : fit.data().labels().labels()) {
            assertTrue(html.contains(label), label);
        }
        for (String id : List.of("chart-frontier", "chart-flow", "chart-labels", "chart-lengths", "chart-cost")) {
            assertTrue(html.contains("id=\"" + id + "\""), id);
        }
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>",
                Pattern.DOTALL).matcher(html);
        assertTrue(m.find());
        JsonNode data = new ObjectMapper().readTree(m.group(1));
        assertEquals(fit.data().calibrationRows(), data.at("/flow/rows").asLong());
        assertEquals(fit.deployed().certified().orElseThrow().accepted(),
                data.at("/flow/stage1").asLong() + data.at("/flow/stage2").asLong());
        assertEquals(8, data.get("labels").size());
        assertEquals(fit.outcomes().size(), data.at("/cost/perTarget").size());
    }

    @Test
    void thePageRendersAgainFromTheLakehouseAloneAndAnUnknownRunIsRefused() throws IOException {
        Path page = Path.of(URI.create(reportUri));
        Files.delete(page);
        ReportWriter writer = new ReportWriter(spark, config, layout);
        assertEquals(reportUri, writer.render(RUN));
        String html = Files.readString(page, StandardCharsets.UTF_8);
        // the policy comes from the run's row in the runs table
        assertTrue(html.contains(finished.policy().orElseThrow().uri()));
        io.tracer.BadInputException e = assertThrows(io.tracer.BadInputException.class,
                () -> writer.render("no-such-run"));
        assertTrue(e.getMessage().contains("no-such-run"), e.getMessage());
    }

    @Test
    void thePageRendersInHeadlessChromium() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        org.junit.jupiter.api.Assumptions.assumeTrue(chromium.isPresent(),
                "no chromium, chromium-browser or google-chrome on PATH: the rendering check is skipped");
        Path page = Path.of(URI.create(reportUri));
        HeadlessChromium browser = new HeadlessChromium(chromium.get(), dir.resolve("chromium-profile"));
        Path png = dir.resolve("report.png");
        browser.screenshot(page, png, 1200, 2000);
        assertTrue(Files.size(png) > 20_000, "screenshot is " + Files.size(png) + " bytes");
        double coloured = HeadlessChromium.colouredShare(png);
        assertTrue(coloured > 0.01, "share of non-white pixels " + coloured);
        String dom = browser.dumpDom(page);
        long canvases = Pattern.compile("<canvas").matcher(dom).results().count();
        assertTrue(canvases >= 5, canvases + " canvas elements in the rendered DOM");
        String keep = System.getProperty("tracer.report.screenshot");
        if (keep != null) {
            Files.copy(png, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
