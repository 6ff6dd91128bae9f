package io.tracer.reliability;

import io.tracer.reliability.Fixtures.Trace;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-input catalogue of docs/reliability.md: each case a small fixture, the command that
 * reads it, the exit code it must give (0 ok, 2 bad input, 3 audit violation) and the words its
 * one-line message must hold. For every case that runs a fit, nothing is silently dropped: the rows
 * the fixture holds equal the rows the runs table says were read, and those equal the rows used
 * (the three splits) plus the rows quarantined (each in the quarantine table with its reason) plus
 * the duplicates resolved.
 *
 * <p>Every command runs in-process through the real command line ({@link Cli}) on the test JVM's
 * session. One {@code tracer update} in {@link #baseline()} makes the trace history and the policy
 * that the update, route and audit cases read.
 */
class BadInputCatalogueTest {
    static final int N = 240;

    @TempDir
    static Path dir;
    static Path lake;
    static SparkSession spark;
    static String history;
    static String policyRoot;
    static String policyVersionDir;

    /** What a successful fit of a case must account for. */
    record Accounting(long read, long quarantined, long duplicates, Map<String, Long> reasons) {
        static Accounting clean(long read) {
            return new Accounting(read, 0, 0, Map.of());
        }
    }

    /** Writes a case's fixture under its folder; returns the command's arguments. */
    @FunctionalInterface
    interface Setup {
        List<String> args(Path caseDir, String runId) throws Exception;
    }

    /** Extra checks on the lakehouse after the command. */
    @FunctionalInterface
    interface After {
        void check(String runId, Cli.Result result) throws Exception;
    }

    record Case(String id, String command, int exit, List<String> message, Accounting accounting, Setup setup,
                After after) {
        @Override
        public String toString() {
            return id;
        }
    }

    @BeforeAll
    static void baseline() throws IOException {
        spark = SparkTestSession.get();
        lake = dir.resolve("lake");
        history = Fixtures.uri(dir.resolve("history"));
        Path traces = Fixtures.jsonl(dir.resolve("base/traces.jsonl"), Fixtures.traces(N));
        Cli.Result r = Cli.run(spark, dir, Cli.args("update", "--traces", Fixtures.uri(traces), "--history", history,
                "--run-id", "baseline", "--lakehouse", Fixtures.uri(lake), Cli.CHEAP_FIT));
        assertEquals(0, r.exit(), r.toString());
        policyRoot = Fixtures.uri(lake.resolve("policies"));
        policyVersionDir = Fixtures.uri(lake.resolve("policies/versions/baseline"));
        assertTrue(Files.exists(lake.resolve("policies/versions/baseline/manifest.json")));
    }

    /** The cheap fit with XGBoost as its one surrogate, for the case that damages its native file. */
    static final List<String> XGB_FIT = Cli.CHEAP_FIT.stream()
            .map(a -> a.startsWith("-Dtracer.zoo.add=") ? "-Dtracer.zoo.add=[xgb]" : a).toList();

    static List<String> fit(Path traces, String runId, Object... more) {
        return Cli.args("fit", "--traces", Fixtures.uri(traces), "--run-id", runId, "--no-publish",
                "--lakehouse", Fixtures.uri(lake), Cli.CHEAP_FIT, List.of(more));
    }

    static List<String> route(String policy, String input, Path caseDir, String runId) {
        return Cli.args("route", "--policy", policy, "--input", input, "--output",
                Fixtures.uri(caseDir.resolve("routed")), "--run-id", runId, "--lakehouse", Fixtures.uri(lake));
    }

    static List<String> audit(String policy, String traces, String runId) {
        return Cli.args("audit", "--policy", policy, "--traces", traces, "--run-id", runId,
                "--lakehouse", Fixtures.uri(lake));
    }

    static List<String> update(Path traces, String runId) {
        return Cli.args("update", "--traces", Fixtures.uri(traces), "--history", history, "--run-id", runId,
                "--lakehouse", Fixtures.uri(lake), Cli.CHEAP_FIT);
    }

    /** A copy of the baseline policy version, for cases that damage it. */
    static Path policyCopy(Path caseDir) throws IOException {
        Path src = lake.resolve("policies/versions/baseline");
        Path dst = caseDir.resolve("policy");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return dst;
    }

    static Case c(String id, String command, int exit, List<String> message, Accounting accounting, Setup setup) {
        return new Case(id, command, exit, message, accounting, setup, null);
    }

    static Case c(String id, String command, int exit, List<String> message, Accounting accounting, Setup setup,
                  After after) {
        return new Case(id, command, exit, message, accounting, setup, after);
    }

    static List<Trace> base() {
        return Fixtures.traces(N);
    }

    /** Every case of the catalogue, in the order of docs/reliability.md. */
    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        // --- whole inputs that cannot be used: exit 2, one line ---
        all.add(c("bad-empty-file", "fit", 2, List.of("traces.jsonl", "empty"), null,
                (d, id) -> fit(Fixtures.write(d.resolve("traces.jsonl"), ""), id)));
        all.add(c("bad-empty-csv", "fit", 2, List.of("traces.csv", "empty"), null,
                (d, id) -> fit(Fixtures.write(d.resolve("traces.csv"), ""), id)));
        all.add(c("bad-header-only", "fit", 2, List.of("traces.csv", "no rows"), null,
                (d, id) -> fit(Fixtures.write(d.resolve("traces.csv"), "trace_id,input,teacher\n"), id)));
        all.add(c("bad-no-valid-rows", "fit", 2, List.of("240 of 240 rows", "missing_input", "column input", "line 1"),
                null, (d, id) -> fit(Fixtures.jsonl(d.resolve("traces.jsonl"),
                        base().stream().map(t -> t.withInput("  ")).toList()), id)));
        all.add(c("bad-dir-no-data", "fit", 2, List.of("no trace files"), null, (d, id) -> {
            Fixtures.write(d.resolve("traces/notes.txt"), "nothing here\n");
            return fit(d.resolve("traces"), id);
        }));
        all.add(c("bad-missing-path", "fit", 2, List.of("does-not-exist", "not found"), null,
                (d, id) -> fit(d.resolve("does-not-exist.jsonl"), id)));
        all.add(c("bad-delta-corrupt-log", "fit", 2, List.of("Delta", "log"), null, (d, id) -> {
            Path t = delta(d.resolve("traces"), base(), false);
            Fixtures.write(t.resolve("_delta_log/00000000000000000000.json"), "{\"commitInfo\": garbage\n");
            return fit(t, id);
        }));
        all.add(c("bad-delta-half-written", "fit", 2, List.of("Delta", "log"), null, (d, id) -> {
            Path t = delta(d.resolve("traces"), base(), true);
            Path last = t.resolve("_delta_log/00000000000000000001.json");
            byte[] b = Files.readAllBytes(last);
            Files.write(last, java.util.Arrays.copyOf(b, b.length / 2));
            return fit(t, id);
        }));
        all.add(c("bad-delta-no-commits", "fit", 2, List.of("_delta_log"), null, (d, id) -> {
            Files.createDirectories(d.resolve("traces/_delta_log"));
            return fit(d.resolve("traces"), id);
        }));
        // --- CSV ---
        all.add(c("csv-bom", "fit", 0, List.of(), Accounting.clean(N), (d, id) -> {
            byte[] body = Fixtures.csv(base(), ",").getBytes(StandardCharsets.UTF_8);
            byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
            byte[] all2 = new byte[bom.length + body.length];
            System.arraycopy(bom, 0, all2, 0, bom.length);
            System.arraycopy(body, 0, all2, bom.length, body.length);
            return fit(Fixtures.write(d.resolve("traces.csv"), all2), id);
        }));
        all.add(c("csv-semicolon", "fit", 2, List.of("traces.csv", "delimiter", "';'"), null,
                (d, id) -> fit(Fixtures.write(d.resolve("traces.csv"), Fixtures.csv(base(), ";")), id)));
        all.add(c("csv-unbalanced-quote", "fit", 2, List.of("traces.csv", "line 101", "quote"), null, (d, id) -> {
            String text = Fixtures.csv(base(), ",");
            List<String> lines = new ArrayList<>(List.of(text.split("\n")));
            Trace t = base().get(99); // data row 100 is file line 101
            lines.set(100, t.id() + ",\"" + t.input() + "," + t.teacher());
            return fit(Fixtures.write(d.resolve("traces.csv"), String.join("\n", lines) + "\n"), id);
        }));
        all.add(c("csv-non-utf8", "fit", 0, List.of(),
                new Accounting(N, 1, 0, Map.of("invalid_encoding", 1L)), (d, id) -> {
            List<Trace> ts = new ArrayList<>(base());
            ts.set(4, ts.get(4).withInput("caf\u0001 bill " + ts.get(4).input()));
            byte[] b = Fixtures.csv(ts, ",").getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 0x01) {
                    b[i] = (byte) 0xE9; // Latin-1 e-acute: not UTF-8
                }
            }
            return fit(Fixtures.write(d.resolve("traces.csv"), b), id);
        }));
        all.add(c("csv-1mb-field", "fit", 0, List.of(), Accounting.clean(N), (d, id) -> {
            List<Trace> ts = new ArrayList<>(base());
            StringBuilder big = new StringBuilder(ts.get(6).input());
            while (big.length() < (1 << 20)) {
                big.append(" please refund the payment");
            }
            ts.set(6, ts.get(6).withInput(big.toString()));
            return fit(Fixtures.csv(d.resolve("traces.csv"), ts), id);
        }));
        // --- JSONL ---
        all.add(c("jsonl-truncated-last-line", "fit", 0, List.of(),
                new Accounting(N, 1, 0, Map.of("malformed_json", 1L)), (d, id) -> {
            StringBuilder s = new StringBuilder();
            List<Trace> ts = base();
            for (int i = 0; i < ts.size(); i++) {
                String line = Fixtures.jsonLine(ts.get(i));
                s.append(i == ts.size() - 1 ? line.substring(0, line.length() / 2) : line + "\n");
            }
            return fit(Fixtures.write(d.resolve("traces.jsonl"), s.toString()), id);
        }, (id, r) -> {
            Row q = quarantine(id).first();
            assertEquals(N, q.<Long>getAs("source_line"), "the truncated line is named");
        }));
        all.add(c("jsonl-top-level-array", "fit", 2, List.of("traces.json", "array", "one JSON object per line"), null,
                (d, id) -> fit(Fixtures.write(d.resolve("traces.json"), "[" + base().stream()
                        .map(Fixtures::jsonLine).collect(Collectors.joining(",\n")) + "]\n"), id)));
        all.add(c("jsonl-mixed-types", "fit", 0, List.of(), Accounting.clean(N), (d, id) -> {
            StringBuilder s = new StringBuilder();
            List<Trace> ts = base();
            for (int i = 0; i < ts.size(); i++) {
                Trace t = ts.get(i);
                if (i == 3) {
                    s.append("{\"trace_id\":\"").append(t.id()).append("\",\"input\":12345,\"teacher\":\"")
                            .append(t.teacher()).append("\"}\n");
                } else if (i == 8) {
                    s.append("{\"trace_id\":\"").append(t.id()).append("\",\"input\":{\"text\":\"")
                            .append(t.input()).append("\"},\"teacher\":\"").append(t.teacher()).append("\"}\n");
                } else {
                    s.append(Fixtures.jsonLine(t)).append('\n');
                }
            }
            return fit(Fixtures.write(d.resolve("traces.jsonl"), s.toString()), id);
        }));
        // --- labels ---
        all.add(c("label-only-one", "fit", 2, List.of("one teacher label", "billing"), null,
                (d, id) -> fit(Fixtures.jsonl(d.resolve("traces.jsonl"),
                        base().stream().map(t -> t.withTeacher("billing")).toList()), id)));
        all.add(c("label-one-row", "fit", 0, List.of(), Accounting.clean(N), (d, id) -> {
            List<Trace> ts = new ArrayList<>(base());
            ts.set(10, ts.get(10).withTeacher("rare_intent"));
            return fit(Fixtures.jsonl(d.resolve("traces.jsonl"), ts), id);
        }));
        all.add(c("label-all-blank", "fit", 2, List.of("240 of 240 rows", "missing_teacher", "column teacher",
                "line 1"), null, (d, id) -> fit(Fixtures.jsonl(d.resolve("traces.jsonl"),
                        base().stream().map(t -> t.withTeacher(" ")).toList()), id)));
        all.add(c("label-numeric", "fit", 0, List.of(), Accounting.clean(N), (d, id) -> {
            StringBuilder s = new StringBuilder();
            for (Trace t : base()) {
                s.append("{\"trace_id\":\"").append(t.id()).append("\",\"input\":")
                        .append(Fixtures.JSON.writeValueAsString(t.input())).append(",\"teacher\":")
                        .append(Fixtures.LABELS.indexOf(t.teacher())).append("}\n");
            }
            return fit(Fixtures.write(d.resolve("traces.jsonl"), s.toString()), id);
        }, (id, r) -> assertEquals(Set.of("0", "1", "2", "3"), labels(id))));
        all.add(c("label-case-whitespace", "fit", 0, List.of(), Accounting.clean(N), (d, id) -> {
            List<Trace> ts = new ArrayList<>(base());
            ts.set(0, ts.get(0).withTeacher(" billing"));
            ts.set(4, ts.get(4).withTeacher("billing\t"));
            ts.set(8, ts.get(8).withTeacher("Billing"));
            ts.set(12, ts.get(12).withTeacher("Billing"));
            return fit(Fixtures.jsonl(d.resolve("traces.jsonl"), ts), id);
        }, (id, r) -> assertEquals(Set.of("Billing", "billing", "password", "shipping", "weather"), labels(id))));
        // --- ids ---
        all.add(c("dup-ids-conflicting", "fit", 0, List.of(),
                new Accounting(N + 10, 10, 10, Map.of("duplicate_trace_id", 10L)), (d, id) -> {
            List<Trace> ts = new ArrayList<>(base());
            for (int i = 0; i < 10; i++) {
                Trace t = ts.get(i);
                ts.add(t.withTeacher(Fixtures.LABELS.get((i + 1) % 4)).withInput(t.input() + " again"));
            }
            return fit(Fixtures.jsonl(d.resolve("traces.jsonl"), ts), id);
        }));
        all.add(c("same-text-many-ids", "fit", 0, List.of(), Accounting.clean(N), (d, id) -> {
            List<Trace> ts = new ArrayList<>(base());
            for (int i = 0; i < 30; i++) {
                ts.set(i * 4, ts.get(i * 4).withInput("refund the payment for invoice 1"));
            }
            return fit(Fixtures.jsonl(d.resolve("traces.jsonl"), ts), id);
        }));
        // --- embeddings ---
        all.add(c("embedding-defects", "fit", 0, List.of(), new Accounting(2 * N, 4, 0,
                Map.of("nonfinite_embedding", 2L, "missing_embedding", 1L, "embedding_width", 1L)), (d, id) -> {
            StringBuilder s = new StringBuilder();
            List<Trace> ts = Fixtures.traces(2 * N);
            for (int i = 0; i < ts.size(); i++) {
                Trace t = ts.get(i);
                String v = switch (i) {
                    case 5 -> "[0.1,NaN,0.3,0.4,0.5,0.6,0.7,0.8]";
                    case 6 -> "[0.1,0.2,Infinity,0.4,0.5,0.6,0.7,0.8]";
                    case 7 -> "null";
                    case 8 -> "[0.1,0.2,0.3,0.4,0.5,0.6,0.7]";
                    default -> "[" + (i % 4) + ",0.2,0.3,0.4,0.5,0.6,0.7," + (i % 7) + "]";
                };
                String line = Fixtures.jsonLine(t);
                s.append(line, 0, line.length() - 1).append(",\"embedding\":").append(v).append("}\n");
            }
            return fit(Fixtures.write(d.resolve("traces.jsonl"), s.toString()), id);
        }));
        // --- update ---
        all.add(c("update-empty-file", "update", 2, List.of("traces.jsonl", "empty"), null,
                (d, id) -> update(Fixtures.write(d.resolve("traces.jsonl"), ""), id),
                (id, r) -> assertEquals(N, historyCount())));
        all.add(c("update-other-encoder", "update", 2, List.of("encoder", "other-encoder"), null, (d, id) -> {
            Path t = taggedDelta(d.resolve("traces"), Fixtures.traces(40), "other-encoder", 8);
            return update(t, id);
        }, (id, r) -> assertEquals(N, historyCount())));
        // --- route and audit ---
        all.add(c("route-missing-policy", "route", 2, List.of("no-such-policy"), null,
                (d, id) -> route(Fixtures.uri(d.resolve("no-such-policy")), traffic(d), d, id)));
        all.add(c("route-manifest-schema-99", "route", 2, List.of("schema_version 99"), null, (d, id) -> {
            Path p = policyCopy(d);
            Path m = p.resolve("manifest.json");
            Files.writeString(m, Files.readString(m).replaceFirst("\"schema_version\"\\s*:\\s*\\d+",
                    "\"schema_version\":99"));
            return route(Fixtures.uri(p), traffic(d), d, id);
        }));
        all.add(c("route-manifest-truncated", "route", 2, List.of("manifest.json", "not valid JSON"), null, (d, id) -> {
            Path p = policyCopy(d);
            Path m = p.resolve("manifest.json");
            byte[] b = Files.readAllBytes(m);
            Files.write(m, java.util.Arrays.copyOf(b, b.length / 2));
            return route(Fixtures.uri(p), traffic(d), d, id);
        }));
        all.add(c("route-model-missing", "route", 2, List.of("stage 1", "surrogate", "cannot be loaded"), null,
                (d, id) -> {
            Path p = policyCopy(d);
            // Routing reads the stage's portable export (the kernel's models), not the MLlib ones.
            deleteTree(p.resolve("stage1/portable"));
            return route(Fixtures.uri(p), traffic(d), d, id);
        }, (id, r) -> assertFalse(Files.exists(dir.resolve(id).resolve("routed")), "no partial output")));
        all.add(c("route-model-truncated", "route", 2, List.of("stage 1", "cannot be loaded"), null, (d, id) -> {
            Path p = policyCopy(d);
            Path f = p.resolve("stage1/portable/portable.json");
            byte[] b = Files.readAllBytes(f);
            Files.write(f, java.util.Arrays.copyOf(b, b.length / 3));
            return route(Fixtures.uri(p), traffic(d), d, id);
        }, (id, r) -> assertFalse(Files.exists(dir.resolve(id).resolve("routed")), "no partial output")));
        all.add(c("route-native-model-truncated", "route", 2, List.of("surrogate.xgb", "cannot be routed"), null,
                (d, id) -> {
            // An XGBoost surrogate: the portable export carries the booster as a native file, which
            // the kernel reads when it is built (after the manifest and portable.json parsed fine).
            Path caseLake = d.resolve("xgb-lake");
            Path traces = Fixtures.jsonl(d.resolve("traces.jsonl"), Fixtures.traces(N));
            Cli.Result fitted = Cli.run(spark, dir, Cli.args("fit", "--traces", Fixtures.uri(traces), "--run-id",
                    id + "-fit", "--lakehouse", Fixtures.uri(caseLake), XGB_FIT));
            assertEquals(0, fitted.exit(), fitted.toString());
            Path version = caseLake.resolve("policies/versions/" + id + "-fit");
            Path booster = version.resolve("stage1/portable/surrogate.xgb");
            assertTrue(Files.exists(booster), "the fit published no XGBoost surrogate at " + booster + "; it wrote "
                    + listing(caseLake.resolve("policies")) + "\n" + fitted);
            byte[] b = Files.readAllBytes(booster);
            Files.write(booster, java.util.Arrays.copyOf(b, b.length / 10));
            Files.deleteIfExists(booster.resolveSibling(".surrogate.xgb.crc"));
            return route(Fixtures.uri(version), traffic(d), d, id);
        }, (id, r) -> assertFalse(Files.exists(dir.resolve(id).resolve("routed")), "no partial output")));
        all.add(c("route-missing-input", "route", 2, List.of("nope.jsonl", "not found"), null,
                (d, id) -> route(policyRoot, Fixtures.uri(d.resolve("nope.jsonl")), d, id)));
        all.add(c("route-empty-input", "route", 2, List.of("traffic.jsonl", "empty"), null,
                (d, id) -> route(policyRoot, Fixtures.uri(Fixtures.write(d.resolve("traffic.jsonl"), "")), d, id)));
        all.add(c("route-other-encoder", "route", 2, List.of("encoder", "other-encoder"), null,
                (d, id) -> route(policyRoot, Fixtures.uri(taggedDelta(d.resolve("traffic"), Fixtures.traces(40),
                        "other-encoder", 8)), d, id)));
        all.add(c("audit-missing-policy", "audit", 2, List.of("no-such-policy"), null,
                (d, id) -> audit(Fixtures.uri(d.resolve("no-such-policy")), traffic(d), id)));
        all.add(c("audit-unseen-labels", "audit", 3, List.of("never saw", "refund_request"), null, (d, id) -> {
            // Half the traffic carries two labels the policy was never fitted on.
            List<Trace> ts = Fixtures.traces(80).stream().map(t -> t.withTeacher(switch (t.teacher()) {
                case "billing" -> "refund_request";
                case "password" -> "account_access";
                default -> t.teacher();
            })).toList();
            return audit(policyRoot, Fixtures.uri(Fixtures.jsonl(d.resolve("traffic.jsonl"), ts)), id);
        }));
        return all.stream();
    }

    /**
     * The cases this run takes: all of them, or the one {@code -Dcatalogue.case=<id>} names (its
     * fixture still needs the shared baseline policy). {@link #cases} stays the whole catalogue,
     * which ReliabilityDocTest compares with the docs.
     */
    static Stream<Case> selectedCases() {
        String only = System.getProperty("catalogue.case", "").strip();
        return cases().filter(c -> only.isEmpty() || c.id().equals(only));
    }

    static List<String> listing(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    static String traffic(Path d) throws IOException {
        return Fixtures.uri(Fixtures.jsonl(d.resolve("traffic.jsonl"), Fixtures.traces(40)));
    }

    static Path delta(Path table, List<Trace> traces, boolean twoCommits) throws IOException {
        Path json = Fixtures.jsonl(table.resolveSibling(table.getFileName() + ".jsonl"), traces);
        Dataset<Row> df = spark.read().json(Fixtures.uri(json)).select("trace_id", "input", "teacher");
        if (twoCommits) {
            df.limit(traces.size() / 2).write().format("delta").save(Fixtures.uri(table));
            df.write().format("delta").mode("append").save(Fixtures.uri(table));
        } else {
            df.write().format("delta").save(Fixtures.uri(table));
        }
        return table;
    }

    /** A Delta table whose embedding column says it holds {@code encoder}'s vectors of width {@code dim}. */
    static Path taggedDelta(Path table, List<Trace> traces, String encoder, int dim) throws IOException {
        Path json = Fixtures.jsonl(table.resolveSibling(table.getFileName() + ".jsonl"), traces);
        Metadata meta = new MetadataBuilder().putString("tracer.encoder", encoder).putLong("tracer.dim", dim).build();
        StringBuilder zeros = new StringBuilder("array(");
        for (int i = 0; i < dim; i++) {
            zeros.append(i == 0 ? "" : ",").append("cast(").append(i % 3).append(" as float)");
        }
        zeros.append(")");
        spark.read().json(Fixtures.uri(json)).select(col("trace_id"), col("input"), col("teacher"),
                        org.apache.spark.sql.functions.expr(zeros.toString()).as("embedding", meta))
                .write().format("delta").save(Fixtures.uri(table));
        return table;
    }

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    static Dataset<Row> quarantine(String runId) {
        return spark.read().format("delta").load(Fixtures.uri(lake.resolve("quarantine")))
                .where(col("run_id").equalTo(runId));
    }

    static Set<String> labels(String runId) {
        return spark.read().format("delta").load(Fixtures.uri(lake.resolve("label_coverage")))
                .where(col("run_id").equalTo(runId)).select("label").distinct().collectAsList().stream()
                .map(r -> r.getString(0)).collect(Collectors.toCollection(TreeSet::new));
    }

    static long historyCount() {
        return spark.read().format("delta").load(history).count();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selectedCases")
    void eachCaseExitsAsCataloguedAndLosesNoRow(Case c) throws Exception {
        Path caseDir = dir.resolve(c.id());
        Files.createDirectories(caseDir);
        List<String> args = c.setup().args(caseDir, c.id());
        PrintStream realOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Cli.Result r;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            r = Cli.run(spark, dir, args);
        } finally {
            System.setOut(realOut);
        }
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertEquals(c.exit(), r.exit(), r + "\nstdout:\n" + stdout);
        String said = c.exit() == 3 ? stdout : r.message();
        for (String part : c.message()) {
            assertTrue(said.contains(part), c.id() + ": message lacks '" + part + "': " + said);
        }
        if (c.exit() == 2) {
            assertFalse(r.err().contains("\tat "), "bad input is one line, not a stack trace:\n" + r.err());
            assertFalse(said.isBlank(), r.toString());
        }
        if (c.accounting() != null) {
            checkAccounting(c.id(), c.accounting());
        }
        if (c.after() != null) {
            c.after().check(c.id(), r);
        }
        CATALOGUE.put(c.id(), c.command() + " -> " + r.exit() + (said.isBlank() || c.exit() == 0 ? ""
                : " -> " + (c.exit() == 3 ? "(audit report)" : said)));
    }

    /** What each case did, printed at the end for the catalogue in docs/reliability.md. */
    static final Map<String, String> CATALOGUE = new LinkedHashMap<>();

    @org.junit.jupiter.api.AfterAll
    static void printCatalogue() {
        CATALOGUE.forEach((id, line) -> System.err.println("catalogue: " + id + " | " + line));
    }

    /** rows read = rows in the fixture = the splits + the quarantined rows (by reason) + the duplicates. */
    static void checkAccounting(String runId, Accounting expected) {
        Row run = spark.read().format("delta").load(Fixtures.uri(lake.resolve("runs")))
                .where(col("run_id").equalTo(runId)).first();
        assertEquals("succeeded", run.getAs("status"));
        long read = run.<Long>getAs("rows_read");
        long quarantined = run.<Long>getAs("rows_quarantined");
        long duplicates = run.<Long>getAs("rows_duplicates");
        long used = run.<Long>getAs("rows_train") + run.<Long>getAs("rows_selection")
                + run.<Long>getAs("rows_calibration");
        assertEquals(expected.read(), read, runId + ": rows read vs rows in the fixture");
        assertEquals(expected.quarantined() - expected.duplicates(), quarantined, runId + ": quarantined (invalid)");
        assertEquals(expected.duplicates(), duplicates, runId + ": duplicates");
        assertEquals(read, used + quarantined + duplicates, runId + ": rows in = used + quarantined + duplicates");
        Map<String, Long> reasons = new TreeMap<>();
        for (Row r : quarantine(runId).groupBy("reason").count().collectAsList()) {
            reasons.put(r.getString(0), r.getLong(1));
        }
        assertEquals(new TreeMap<>(expected.reasons()), reasons, runId + ": quarantined rows by reason");
        long withoutReason = quarantine(runId).where(col("reason").isNull()).count();
        assertEquals(0, withoutReason);
    }

    @Test
    void theUpdateMergesEveryNewTraceOnceAndAccountsForTheRest() throws IOException {
        // 40 new traces, 20 the history already has, and 5 repeated ids inside the batch itself.
        List<Trace> batch = new ArrayList<>(Fixtures.traces(N).subList(0, 20));
        List<Trace> fresh = new ArrayList<>();
        for (Trace t : Fixtures.traces(N + 40).subList(N, N + 40)) {
            fresh.add(t.withId("new-" + t.id()));
        }
        batch.addAll(fresh);
        for (int i = 0; i < 5; i++) {
            batch.add(fresh.get(i).withInput(fresh.get(i).input() + " (re-logged)"));
        }
        long before = historyCount();
        Path file = Fixtures.jsonl(dir.resolve("update-dup/traces.jsonl"), batch);
        Cli.Result r = Cli.run(spark, dir, update(file, "update-dup"));
        assertEquals(0, r.exit(), r.toString());
        Dataset<Row> h = spark.read().format("delta").load(history);
        assertEquals(before + 40, h.count(), "every new trace id merged once");
        assertEquals(h.count(), h.select("trace_id").distinct().count(), "no duplicate trace id in the history");
        assertEquals(40, h.where(col("added_by_run_id").equalTo("update-dup")).count());
        // 65 rows read = 5 duplicates (quarantined with their reason) + 20 already there + 40 merged
        assertEquals(5, quarantine("update-dup").where(col("reason").equalTo("duplicate_trace_id")).count());
        Row run = spark.read().format("delta").load(Fixtures.uri(lake.resolve("runs")))
                .where(col("run_id").equalTo("update-dup")).first();
        assertTrue(run.<String>getAs("message").contains("merged 60 new traces"), run.<String>getAs("message"));
        CATALOGUE.put("update-duplicate-ids", "update -> 0 (40 merged, 20 already present, 5 duplicates quarantined)");
    }

    /** Case ids, for the doc check. */
    static Set<String> ids() {
        Set<String> ids = cases().map(Case::id).collect(Collectors.toCollection(TreeSet::new));
        ids.add("update-duplicate-ids");
        return ids;
    }

    static Map<String, Integer> exits() {
        Map<String, Integer> m = new HashMap<>();
        cases().forEach(c -> m.put(c.id(), c.exit()));
        m.put("update-duplicate-ids", 0);
        return m;
    }
}
