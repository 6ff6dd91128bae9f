package io.tracer.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tracer.config.ConfigLoader;
import io.tracer.config.TracerConfig;
import io.tracer.cli.TracerCli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The platform job definitions (jobs/) and profiles (conf/) name the real main class, the real
 * cluster jar, subcommands picocli knows with options it accepts, and config keys that
 * conf/default.conf defines; each profile loads through ConfigLoader.
 */
class JobDefinitionsTest {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final String MAIN_CLASS = TracerCli.class.getName();
    static final String CLUSTER_JAR = "tracer-spark-cluster.jar";
    static final List<String> PLATFORMS = List.of("local", "databricks", "emr");
    /** spark-submit options that take no value. */
    static final Set<String> SUBMIT_FLAGS = Set.of("--verbose", "-v", "--supervise", "--help", "-h", "--version");

    static Config defaults;
    static Set<String> subcommands;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void load() {
        defaults = ConfigLoader.defaults();
        subcommands = new TreeSet<>(new CommandLine(new TracerCli()).getSubcommands().keySet());
    }

    // ---- profiles

    @TestFactory
    Stream<DynamicTest> eachPlatformProfileSetsOnlyDefaultKeysAndLoads() {
        return PLATFORMS.stream().map(p -> DynamicTest.dynamicTest(p, () -> {
            Path file = ROOT.resolve("conf").resolve(p + ".conf");
            assertTrue(Files.isRegularFile(file), "missing profile " + file);
            Config profile = ConfigFactory.parseFile(file.toFile());
            Set<String> unknown = new TreeSet<>();
            profile.entrySet().forEach(e -> {
                if (!e.getKey().startsWith("tracer.") || !defaults.hasPath(e.getKey())) {
                    unknown.add(e.getKey());
                }
            });
            assertEquals(Set.of(), unknown, file + " sets keys conf/default.conf does not define");
            assertTrue(profile.hasPath("tracer.lakehouse.root"), "a profile says where its tables land");
            TracerConfig loaded = ConfigLoader.load(file.toUri().toString(), Map.of());
            assertEquals(profile.getString("tracer.lakehouse.root"), loaded.lakehouse().root());
        }));
    }

    /** The cluster profiles show the catalog form, under the current key; the local one keeps paths. */
    @Test
    void theClusterProfilesNameTheirTablesInTheCatalog() {
        Map<String, String> expected = Map.of("databricks", "main.tracer", "emr", "tracer", "local", "");
        for (String p : PLATFORMS) {
            Path file = ROOT.resolve("conf").resolve(p + ".conf");
            assertFalse(ConfigFactory.parseFile(file.toFile()).hasPath("tracer.lakehouse.database"),
                    file + " uses the deprecated tracer.lakehouse.database; name the catalog with tracer.lakehouse.catalog");
            assertEquals(expected.get(p), ConfigLoader.load(file.toUri().toString(), Map.of()).lakehouse().catalog(), p);
        }
    }

    @Test
    void everyProfileInConfIsTestedHere() throws IOException {
        Set<String> onDisk = new TreeSet<>();
        try (Stream<Path> s = Files.list(ROOT.resolve("conf"))) {
            s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".conf") && !n.equals("default.conf"))
                    .forEach(n -> onDisk.add(n.substring(0, n.length() - ".conf".length())));
        }
        assertEquals(new TreeSet<>(PLATFORMS), onDisk);
    }

    // ---- Databricks

    @Test
    void databricksJobRunsRealCommandsFromTheClusterJar() throws IOException {
        JsonNode job = JSON.readTree(ROOT.resolve("jobs/databricks-nightly.json").toFile());
        assertFalse(job.path("name").asText().isBlank());
        JsonNode schedule = job.path("schedule");
        // Quartz: seconds minutes hours day-of-month month day-of-week [year]
        int fields = schedule.path("quartz_cron_expression").asText().trim().split("\\s+").length;
        assertTrue(fields == 6 || fields == 7, "not a Quartz cron expression: " + schedule);
        assertFalse(schedule.path("timezone_id").asText().isBlank());
        assertEquals(1, job.path("max_concurrent_runs").asInt(), "two fits of one lakehouse must not overlap");

        JsonNode tasks = job.path("tasks");
        assertTrue(tasks.isArray() && tasks.size() > 0);
        for (JsonNode task : tasks) {
            String where = "task " + task.path("task_key").asText();
            assertFalse(task.path("task_key").asText().isBlank());
            JsonNode jar = task.path("spark_jar_task");
            assertEquals(MAIN_CLASS, jar.path("main_class_name").asText(), where);
            List<String> libs = new ArrayList<>();
            task.path("libraries").forEach(l -> libs.add(l.path("jar").asText()));
            assertTrue(libs.stream().anyMatch(l -> l.endsWith("/" + CLUSTER_JAR)), where + " libraries " + libs);
            checkDatabricksCluster(clusterOf(job, task), where);
            ParseResult parsed = checkTracerArgs(strings(jar.path("parameters")), where);
            assertEquals("databricks.conf", profileName(parsed), where);
        }
    }

    private static JsonNode clusterOf(JsonNode job, JsonNode task) {
        if (task.has("new_cluster")) {
            return task.get("new_cluster");
        }
        String key = task.path("job_cluster_key").asText();
        for (JsonNode c : job.path("job_clusters")) {
            if (c.path("job_cluster_key").asText().equals(key)) {
                return c.path("new_cluster");
            }
        }
        return fail("task " + task.path("task_key").asText() + " names no cluster (new_cluster or job_cluster_key)");
    }

    private static void checkDatabricksCluster(JsonNode cluster, String where) {
        String version = cluster.path("spark_version").asText();
        // Spark 3.5 / Scala 2.12 as the jar is built for: runtimes 13.x to 16.x; 17 is Spark 4 / Scala 2.13
        assertTrue(version.matches("1[3-6]\\.\\d+\\.x-scala2\\.12"), where + " spark_version " + version);
        int major = Integer.parseInt(version.substring(0, 2));
        if (major < 16) {
            // JDK 17 is the default from 16.0; earlier runtimes select it with JNAME
            assertTrue(cluster.path("spark_env_vars").path("JNAME").asText().contains("17"), where);
        }
        assertFalse(cluster.path("node_type_id").asText().isBlank(), where);
        assertTrue(cluster.path("num_workers").asInt() > 0 || cluster.has("autoscale"), where);
        // MLlib needs the classic Spark API: dedicated (single user) compute, not standard/shared
        assertTrue(Set.of("SINGLE_USER", "DATA_SECURITY_MODE_DEDICATED", "NONE")
                .contains(cluster.path("data_security_mode").asText("NONE")), where);
        cluster.path("spark_conf").fieldNames().forEachRemaining(k ->
                assertTrue(k.startsWith("spark."), where + " spark_conf key " + k));
    }

    // ---- EMR

    @Test
    void emrStepsSubmitTheClusterJarWithRealCommands() throws IOException {
        JsonNode steps = JSON.readTree(ROOT.resolve("jobs/emr-steps.json").toFile());
        assertTrue(steps.isArray() && steps.size() > 0, "aws emr add-steps takes a JSON list of steps");
        for (JsonNode step : steps) {
            String where = "step " + step.path("Name").asText();
            assertFalse(step.path("Name").asText().isBlank());
            assertEquals("CUSTOM_JAR", step.path("Type").asText(), where);
            assertTrue(Set.of("CONTINUE", "CANCEL_AND_WAIT", "TERMINATE_CLUSTER")
                    .contains(step.path("ActionOnFailure").asText()), where);
            assertEquals("command-runner.jar", step.path("Jar").asText(), where);
            List<String> args = strings(step.path("Args"));
            assertEquals("spark-submit", args.get(0), where);
            Submit submit = Submit.parse(args.subList(1, args.size()));
            checkSubmit(submit, where);
            // the documented placeholder is the only one: the submitter replaces it with the date
            submit.appArgs().forEach(a -> assertTrue(!a.contains("@") || a.contains("@RUN_DATE@"), where + ": " + a));
            assertEquals("emr.conf", profileName(checkTracerArgs(submit.appArgs(), where)), where);
        }
    }

    // ---- spark-submit script

    @Test
    void sparkSubmitScriptSubmitsFitWithTheLocalProfile(@TempDir Path tmp) throws Exception {
        Path jar = Files.createFile(tmp.resolve(CLUSTER_JAR));
        Result r = runScript(tmp, Map.of("TRACES", "s3://bucket/traces/", "TRACER_JAR", jar.toString()));
        assertEquals(0, r.exit(), r.stderr());
        Submit submit = Submit.parse(r.stdoutLines());
        checkSubmit(submit, "jobs/nightly-retrain.sh");
        assertEquals(jar.toString(), submit.appJar());
        ParseResult parsed = checkTracerArgs(submit.appArgs(), "jobs/nightly-retrain.sh");
        assertEquals("local.conf", profileName(parsed));
        // the default profile URI is one the config loader (Hadoop) reads
        String profile = parsed.subcommand().matchedOptionValue("--conf", "");
        assertTrue(profile.startsWith("file:"), "a bare path would resolve against the cluster's default FS");
        assertEquals("file:./tracer-lakehouse", ConfigLoader.load(profile, Map.of()).lakehouse().root());
        assertTrue(parsed.subcommand().matchedOption("--run-id").stringValues().get(0).matches("nightly-\\d{8}"));
    }

    @Test
    void sparkSubmitScriptRunsUpdateWhenGivenAHistory(@TempDir Path tmp) throws Exception {
        Path jar = Files.createFile(tmp.resolve(CLUSTER_JAR));
        Result r = runScript(tmp, Map.of("TRACES", "s3://bucket/traces/", "TRACER_JAR", jar.toString(),
                "TRACER_HISTORY", "s3://bucket/tracer/trace_history"));
        assertEquals(0, r.exit(), r.stderr());
        Submit submit = Submit.parse(r.stdoutLines());
        ParseResult parsed = checkTracerArgs(submit.appArgs(), "jobs/nightly-retrain.sh");
        assertEquals("update", parsed.subcommand().commandSpec().name());
        assertEquals("s3://bucket/tracer/trace_history", parsed.subcommand().matchedOptionValue("--history", ""));
    }

    @Test
    void nightlyDefinitionsAuditThenUpdateInsideTheProfilesLakehouse() throws IOException {
        JsonNode job = JSON.readTree(ROOT.resolve("jobs/databricks-nightly.json").toFile());
        List<String> order = new ArrayList<>();
        job.path("tasks").forEach(t -> order.add(t.path("spark_jar_task").path("parameters").get(0).asText()));
        assertEquals(List.of("audit", "update"), order);
        JsonNode update = job.path("tasks").get(1);
        // a violation alert from the audit must not stop the retrain
        assertEquals("ALL_DONE", update.path("run_if").asText());
        String root = ConfigFactory.parseFile(ROOT.resolve("conf/databricks.conf").toFile())
                .getString("tracer.lakehouse.root");
        List<String> params = strings(job.path("tasks").get(0).path("spark_jar_task").path("parameters"));
        assertEquals(root + "/policies", params.get(params.indexOf("--policy") + 1));

        JsonNode steps = JSON.readTree(ROOT.resolve("jobs/emr-steps.json").toFile());
        String emrRoot = ConfigFactory.parseFile(ROOT.resolve("conf/emr.conf").toFile()).getString("tracer.lakehouse.root");
        List<String> audit = strings(steps.get(0).path("Args"));
        assertTrue(audit.contains("audit"));
        assertEquals("CONTINUE", steps.get(0).path("ActionOnFailure").asText());
        assertEquals(emrRoot + "/policies", audit.get(audit.indexOf("--policy") + 1));
        assertTrue(strings(steps.get(1).path("Args")).contains("update"));
    }

    @Test
    void sparkSubmitScriptRefusesToRunWithoutTraces(@TempDir Path tmp) throws Exception {
        Result r = runScript(tmp, Map.of());
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains("TRACES"), r.stderr());
        assertEquals("", r.stdout(), "nothing may be submitted");
    }

    // ---- shared checks

    /** spark-submit options, application jar and application arguments. */
    record Submit(Map<String, List<String>> options, String appJar, List<String> appArgs) {
        static Submit parse(List<String> args) {
            Map<String, List<String>> options = new java.util.LinkedHashMap<>();
            int i = 0;
            while (i < args.size() && args.get(i).startsWith("-")) {
                String o = args.get(i);
                if (SUBMIT_FLAGS.contains(o)) {
                    options.computeIfAbsent(o, k -> new ArrayList<>()).add("");
                    i++;
                } else {
                    assertTrue(i + 1 < args.size(), "spark-submit option " + o + " has no value");
                    options.computeIfAbsent(o, k -> new ArrayList<>()).add(args.get(i + 1));
                    i += 2;
                }
            }
            assertTrue(i < args.size(), "no application jar in " + args);
            return new Submit(options, args.get(i), List.copyOf(args.subList(i + 1, args.size())));
        }

        String one(String option) {
            List<String> v = options.getOrDefault(option, List.of());
            assertEquals(1, v.size(), "spark-submit " + option + " " + v);
            return v.get(0);
        }
    }

    private static void checkSubmit(Submit submit, String where) {
        assertEquals(MAIN_CLASS, submit.one("--class"), where);
        assertTrue(submit.appJar().endsWith(CLUSTER_JAR), where + " jar " + submit.appJar());
        // client mode: spark-submit exits with the driver's exit code, which alerting reads
        assertEquals("client", submit.one("--deploy-mode"), where);
        for (String kv : submit.options().getOrDefault("--conf", List.of())) {
            assertTrue(kv.startsWith("spark.") && kv.contains("="), where + " --conf " + kv);
        }
    }

    /**
     * Parses the tracer arguments exactly as the jar's main would: an unknown subcommand or
     * option, or a missing required one, fails here. -D keys must be keys of conf/default.conf.
     */
    private static ParseResult checkTracerArgs(List<String> args, String where) {
        ParseResult parsed;
        try {
            parsed = new CommandLine(new TracerCli()).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return fail(where + ": tracer " + String.join(" ", args) + ": " + e.getMessage());
        }
        assertTrue(parsed.hasSubcommand(), where + ": no subcommand in " + args);
        ParseResult sub = parsed.subcommand();
        String name = sub.commandSpec().name();
        assertTrue(subcommands.contains(name), where + ": tracer has no subcommand " + name + " " + subcommands);
        Map<String, String> overrides = sub.hasMatchedOption("-D") ? sub.matchedOptionValue("-D", Map.of()) : Map.of();
        overrides.keySet().forEach(k -> {
            String key = k.startsWith("tracer.") ? k : "tracer." + k;
            assertTrue(defaults.hasPath(key), where + ": -D" + k + " is not a key of conf/default.conf");
        });
        // a nightly run names its run id, so a re-run replaces that night's rows
        assertTrue(sub.hasMatchedOption("--run-id"), where + ": no --run-id");
        return parsed;
    }

    /** The profile file a tracer command line names with --conf; it must exist under conf/. */
    private static String profileName(ParseResult parsed) {
        String uri = parsed.subcommand().matchedOptionValue("--conf", "");
        assertFalse(uri.isBlank(), "no --conf profile");
        String name = uri.substring(uri.lastIndexOf('/') + 1);
        assertTrue(Files.isRegularFile(ROOT.resolve("conf").resolve(name)), "--conf " + uri + ": no conf/" + name);
        return name;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    record Result(int exit, String stdout, String stderr) {
        List<String> stdoutLines() {
            return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
        }
    }

    /** Runs jobs/nightly-retrain.sh with a spark-submit that prints its arguments, one a line. */
    private static Result runScript(Path tmp, Map<String, String> env) throws Exception {
        Path stub = tmp.resolve("spark-submit");
        Files.writeString(stub, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
        assertTrue(stub.toFile().setExecutable(true));
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("jobs/nightly-retrain.sh").toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("TRACER_") || k.equals("TRACES") || k.equals("SPARK_HOME"));
        pb.environment().put("SPARK_SUBMIT", stub.toString());
        pb.environment().putAll(env);
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "script hung");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip(),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
