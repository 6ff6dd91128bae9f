package io.tracer.bench;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.embed.EncoderInfo;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.route.RoutingFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/**
 * B4's {@code --traffic}: a given policy timed on a table of its own encoder's vectors, repeated,
 * instead of generated rows its OOD gate would defer.
 */
class RoutingBenchmarkTrafficTest {
    static RoutingFixture f;
    static LakehouseLayout layout;

    @BeforeAll
    static void fixture() {
        f = RoutingFixture.get();
        // The benchmark's own lakehouse, so its quarantine rows and tables stay out of the fixture's.
        layout = LakehouseLayout.of(new io.tracer.config.TracerConfig.Lakehouse(f.uri("bench-lake"), ""),
                f.spark.sparkContext().hadoopConfiguration());
    }

    private static RoutingBenchmark.Request request(Optional<String> policy, long rows, Optional<String> traffic) {
        return new RoutingBenchmark.Request(policy, List.of("b1-like"), rows, 1_000, RoutingFixture.DIM,
                RoutingFixture.LABELS, 0.0, true, 200, 50, 2_000, 0, f.uri("no-text"), traffic);
    }

    @Test
    void theGivenTrafficIsRepeatedAndTheRouterHandlesItsRows() {
        long trafficRows = f.spark.read().format("delta").load(f.traffic).count();
        Map<String, Object> out = new RoutingBenchmark(f.spark, f.config, layout)
                .run(request(Optional.of(f.policyRoot()), 2 * trafficRows + 1, Optional.of(f.traffic)));

        assertEquals(f.traffic, out.get("traffic"));
        assertNull(out.get("traffic_ood_share"));
        // whole copies until there are enough rows: three of the table
        assertEquals(3 * trafficRows, ((Number) out.get("spark_rows")).longValue());
        long distinctIds = f.spark.read().format("delta").load(layout.root() + "/bench/routing/given-traffic")
                .select(Columns.TRACE_ID).distinct().count();
        assertEquals(3 * trafficRows, distinctIds, "each copy has its own trace ids");
        @SuppressWarnings("unchecked")
        Map<String, Object> shape = ((List<Map<String, Object>>) out.get("shapes")).get(0);
        double handled = (Double) shape.get("router_handled_share");
        // the fixture's in-distribution traffic is mostly handled (RouteJobTest: over a third);
        // generated traffic in another population would be deferred at the OOD gate
        assertTrue(handled > 0.3, "handled share " + handled);
    }

    @Test
    void aLargeTableStreamsAndIsCopiedTheSameWay() {
        long trafficRows = f.spark.read().format("delta").load(f.traffic).count();
        Map<String, Object> out = new RoutingBenchmark(f.spark, f.config, layout).broadcastingAtMost(0)
                .run(request(Optional.of(f.policyRoot()), trafficRows + 1, Optional.of(f.traffic)));
        assertEquals(2 * trafficRows, ((Number) out.get("spark_rows")).longValue());
        long distinctIds = f.spark.read().format("delta").load(layout.root() + "/bench/routing/given-traffic")
                .select(Columns.TRACE_ID).distinct().count();
        assertEquals(2 * trafficRows, distinctIds, "each copy has its own trace ids");
    }

    @Test
    void generatedTrafficStillRunsAfterGivenTraffic() {
        new RoutingBenchmark(f.spark, f.config, layout).run(request(Optional.of(f.policyRoot()), 100, Optional.of(f.traffic)));
        Map<String, Object> out = new RoutingBenchmark(f.spark, f.config, layout)
                .run(request(Optional.of(f.policyRoot()), 500, Optional.empty()));
        assertEquals("generated", out.get("traffic"));
        assertEquals(500L, ((Number) out.get("spark_rows")).longValue());
    }

    @Test
    void trafficOfAnotherEncoderIsRefusedWithTheReason() {
        String other = f.uri("bench-other-encoder");
        EncoderInfo foreign = new EncoderInfo("some-other-encoder", RoutingFixture.DIM);
        f.spark.read().format("delta").load(f.traffic).limit(50)
                .withColumn(Columns.EMBEDDING, foreign.tag(col(Columns.EMBEDDING), Columns.EMBEDDING))
                .write().format("delta").mode("overwrite").save(other);
        BadInputException e = assertThrows(BadInputException.class, () -> new RoutingBenchmark(f.spark, f.config, layout)
                .run(request(Optional.of(f.policyRoot()), 100, Optional.of(other))));
        assertTrue(e.getMessage().contains("some-other-encoder"), e.getMessage());
    }

    @Test
    void trafficNeedsAGivenPolicy() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> request(Optional.empty(), 100, Optional.of(f.traffic)));
        assertTrue(e.getMessage().contains("--traffic needs --policy"), e.getMessage());
    }
}
