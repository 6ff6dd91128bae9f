package io.tracer.testing;

import io.tracer.cli.SparkSessions;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one Delta-enabled local[2] SparkSession of the test JVM (surefire runs every test
 * class in one fork). Built lazily, stopped by the JVM's shutdown.
 */
public final class SparkTestSession {
    private static SparkSession session;

    private SparkTestSession() {}

    public static synchronized SparkSession get() {
        if (session == null) {
            try {
                Path warehouse = Files.createTempDirectory("tracer-test-warehouse");
                SparkConf conf = new SparkConf()
                        .setMaster("local[2]")
                        .setAppName("tracer-tests")
                        .set("spark.ui.enabled", "false")
                        .set("spark.sql.warehouse.dir", warehouse.toUri().toString())
                        .set("spark.driver.host", "127.0.0.1")
                        .set("spark.sql.adaptive.enabled", "true");
                session = SparkSessions.builder(conf, 4).getOrCreate();
                session.sparkContext().setLogLevel("WARN");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return session;
    }
}
