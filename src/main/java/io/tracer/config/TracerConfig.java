package io.tracer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import io.tracer.BadInputException;

import java.util.List;

/**
 * The whole job configuration as immutable records, validated at construction. Keys and
 * defaults live in conf/default.conf; {@link ConfigLoader} applies the precedence.
 */
public record TracerConfig(
        long seed,
        Traces traces,
        Embed embed,
        Split split,
        Zoo zoo,
        Gate gate,
        Calibrate calibrate,
        Pipeline pipeline,
        Lakehouse lakehouse,
        Report report,
        SparkSettings spark,
        Config raw) {

    public record Traces(String format, String inputCol, String teacherCol,
                         List<String> inputAliases, List<String> teacherAliases, List<String> idAliases,
                         List<String> timestampAliases, List<String> groundTruthAliases,
                         List<String> embeddingAliases, double maxBadShare, String duplicates) {
        public Traces {
            require(maxBadShare >= 0 && maxBadShare <= 1, "tracer.traces.max-bad-share", "must be in [0, 1]");
            require(List.of("keep-latest", "fail").contains(duplicates), "tracer.traces.duplicates",
                    "must be keep-latest or fail, was " + duplicates);
            require(List.of("auto", "jsonl", "csv", "parquet", "delta", "table").contains(format),
                    "tracer.traces.format", "must be auto, jsonl, csv, parquet, delta or table, was " + format);
        }
    }

    public record Embed(String encoder, int batchSize, boolean cache, int logEvery) {
        public Embed {
            require(batchSize > 0, "tracer.embed.batch-size", "must be positive");
            require(logEvery > 0, "tracer.embed.log-every", "must be positive");
        }
    }

    public record Split(double train, double selection, double calibration, int minStratifiedRows) {
        public Split {
            require(train > 0 && selection > 0 && calibration > 0, "tracer.split",
                    "train, selection and calibration shares must all be positive");
            require(Math.abs(train + selection + calibration - 1.0) < 1e-9, "tracer.split",
                    "shares must sum to 1, they sum to " + (train + selection + calibration));
            require(minStratifiedRows >= 3, "tracer.split.min-stratified-rows", "must be at least 3");
        }
    }

    public record Zoo(String set, List<String> skip, List<String> add, int folds, String metric, int parallelism) {
        public Zoo {
            require(List.of("light", "full").contains(set), "tracer.zoo.set", "must be light or full, was " + set);
            require(folds >= 2, "tracer.zoo.folds", "must be at least 2");
            require(List.of("macro-f1", "accuracy").contains(metric), "tracer.zoo.metric",
                    "must be macro-f1 or accuracy, was " + metric);
            require(parallelism >= 1, "tracer.zoo.parallelism", "must be at least 1");
        }
    }

    public record Gate(List<String> candidates) {
        public Gate {
            require(!candidates.isEmpty(), "tracer.gate.candidates", "must name at least one gate");
        }
    }

    public record Calibrate(List<Double> targets, double delta, int gridSize, double minCoverage, double deployTarget) {
        public Calibrate {
            require(!targets.isEmpty(), "tracer.calibrate.targets", "must name at least one target");
            for (double t : targets) {
                require(t > 0 && t < 1, "tracer.calibrate.targets", "each target must be in (0, 1), got " + t);
            }
            require(delta > 0 && delta < 1, "tracer.calibrate.delta", "must be in (0, 1)");
            require(gridSize >= 2, "tracer.calibrate.grid-size", "must be at least 2");
            require(minCoverage >= 0 && minCoverage <= 1, "tracer.calibrate.min-coverage", "must be in [0, 1]");
            require(deployTarget > 0 && deployTarget < 1, "tracer.calibrate.deploy-target", "must be in (0, 1)");
        }

        /** The frontier's targets, ascending: the configured list plus the deploy target. */
        public List<Double> frontierTargets() {
            java.util.TreeSet<Double> all = new java.util.TreeSet<>(targets);
            all.add(deployTarget);
            return List.copyOf(all);
        }
    }

    public record Pipeline(List<String> families) {
        public Pipeline {
            for (String f : families) {
                require(List.of("global", "l2d", "rsb").contains(f), "tracer.pipeline.families",
                        "unknown family " + f + " (global, l2d, rsb)");
            }
        }
    }

    public record Lakehouse(String root, String database) {
        public Lakehouse {
            require(!root.isBlank(), "tracer.lakehouse.root", "must not be blank");
        }
    }

    public record Report(long dailyVolume, double pricePerCall, int worstLabels) {}

    public record SparkSettings(String defaultMaster, int shufflePartitions) {}

    /** Reads and validates the {@code tracer} block of a resolved config. */
    public static TracerConfig from(Config root) {
        try {
            Config c = root.getConfig("tracer");
            return new TracerConfig(
                    c.getLong("seed"),
                    new Traces(c.getString("traces.format"), c.getString("traces.input-col"),
                            c.getString("traces.teacher-col"), c.getStringList("traces.input-aliases"),
                            c.getStringList("traces.teacher-aliases"), c.getStringList("traces.id-aliases"),
                            c.getStringList("traces.timestamp-aliases"),
                            c.getStringList("traces.ground-truth-aliases"),
                            c.getStringList("traces.embedding-aliases"),
                            c.getDouble("traces.max-bad-share"), c.getString("traces.duplicates")),
                    new Embed(c.getString("embed.encoder"), c.getInt("embed.batch-size"),
                            c.getBoolean("embed.cache"), c.getInt("embed.log-every")),
                    new Split(c.getDouble("split.train"), c.getDouble("split.selection"),
                            c.getDouble("split.calibration"), c.getInt("split.min-stratified-rows")),
                    new Zoo(c.getString("zoo.set"), c.getStringList("zoo.skip"), c.getStringList("zoo.add"),
                            c.getInt("zoo.folds"), c.getString("zoo.metric"), c.getInt("zoo.parallelism")),
                    new Gate(c.getStringList("gate.candidates")),
                    new Calibrate(c.getDoubleList("calibrate.targets"), c.getDouble("calibrate.delta"),
                            c.getInt("calibrate.grid-size"), c.getDouble("calibrate.min-coverage"),
                            c.getDouble("calibrate.deploy-target")),
                    new Pipeline(c.getStringList("pipeline.families")),
                    new Lakehouse(c.getString("lakehouse.root"), c.getString("lakehouse.database")),
                    new Report(c.getLong("report.daily-volume"), c.getDouble("report.price-per-call"),
                            c.getInt("report.worst-labels")),
                    new SparkSettings(c.getString("spark.default-master"), c.getInt("spark.shuffle-partitions")),
                    root);
        } catch (ConfigException e) {
            throw new BadInputException("configuration: " + e.getMessage(), e);
        }
    }

    /** The effective {@code tracer} block as HOCON, for the log at job start. */
    public String render() {
        return raw.getConfig("tracer").root().render(ConfigRenderOptions.defaults()
                .setOriginComments(false).setComments(false).setJson(false));
    }

    private static void require(boolean ok, String key, String why) {
        if (!ok) {
            throw new BadInputException("configuration " + key + ": " + why);
        }
    }
}
