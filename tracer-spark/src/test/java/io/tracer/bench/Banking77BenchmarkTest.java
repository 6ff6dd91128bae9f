package io.tracer.bench;

import io.tracer.BadInputException;
import io.tracer.config.ConfigLoader;
import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** B1's second pass (--also) is checked before the first pass spends its fits. */
class Banking77BenchmarkTest {
    @Test
    void aBadSecondPassSettingFailsBeforeAnythingIsRead(@TempDir Path dir) {
        SparkSession spark = SparkTestSession.get();
        TracerConfig config = ConfigLoader.load(null, Map.of("tracer.lakehouse.root", dir.resolve("lake").toUri().toString()));
        LakehouseLayout layout = LakehouseLayout.of(config.lakehouse(), spark.sparkContext().hadoopConfiguration());
        Banking77Benchmark bench = new Banking77Benchmark(spark, config, layout);
        String noData = dir.resolve("no-banking77-here").toUri().toString();

        BadInputException encoder = assertThrows(BadInputException.class,
                () -> bench.run(noData, 1, Map.of("embed.encoder", "minilm-l12")));
        assertTrue(encoder.getMessage().contains("minilm-l12") && encoder.getMessage().contains("bge-small-en-v1.5-q"),
                encoder.getMessage());
        BadInputException value = assertThrows(BadInputException.class,
                () -> bench.run(noData, 1, Map.of("gate.neighbours", "-1")));
        assertTrue(value.getMessage().contains("tracer.gate.neighbours"), value.getMessage());
        // nothing was embedded or fitted: the lakehouse was never written
        assertFalse(Files.exists(dir.resolve("lake").resolve("bench")), "the first pass ran");
    }
}
