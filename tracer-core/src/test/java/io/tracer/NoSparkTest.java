package io.tracer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The compiler keeps Spark and Scala out of tracer-core (they are not on its classpath, so no
 * import of theirs compiles). This guards the classpath itself: a dependency added to
 * tracer-core/pom.xml that brings either back fails here.
 */
class NoSparkTest {
    @Test
    void neitherSparkNorScalaIsOnTheCoreClasspath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.spark.SparkContext"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.spark.sql.Dataset"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("scala.Option"));
    }
}
