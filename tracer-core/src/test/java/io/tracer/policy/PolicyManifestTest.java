package io.tracer.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracer.BadInputException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyManifestTest {

    @Test
    void roundTripsThroughJson() {
        PolicyManifest m = Manifests.l2d("run-1");
        String json = m.toJson();
        assertTrue(json.contains("\"schema_version\" : 1"), json);
        assertTrue(json.contains("\"method\" : \"l2d\""), json);
        assertTrue(json.contains("\"surrogate_path\" : \"stage0/surrogate\""), json);
        assertEquals(m, PolicyManifest.fromJson(json, "test"));
    }

    @Test
    void roundTripsANonePolicyWithNulls() {
        PolicyManifest m = Manifests.none("run-2", "no threshold certifies 0.98 at delta 0.05");
        PolicyManifest back = PolicyManifest.fromJson(m.toJson(), "test");
        assertEquals(m, back);
        assertNull(back.certification());
        assertNull(back.traces().deltaVersion());
        assertNull(back.ood());
    }

    @Test
    void readsTheCheckedInVersion1Artifact() throws IOException {
        // Written by hand in the v1 format: proves later changes still read what v1 wrote.
        String json;
        try (InputStream in = getClass().getResourceAsStream("/policy/manifest-v1.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        PolicyManifest m = PolicyManifest.fromJson(json, "manifest-v1.json");
        assertEquals(PolicyManifest.Method.RSB, m.method());
        assertEquals(List.of("activate_card", "balance", "refund"), m.labels());
        assertEquals(2, m.stages().size());
        assertEquals("stage1/portable.json", m.stages().get(1).portablePath());
        assertEquals(11L, m.traces().deltaVersion());
        assertEquals(0.9512, m.certification().lowerBound());
        // v1's ood entry was an open map: a reader takes what it knows and ignores the rest.
        assertEquals("knn_distance", m.ood().metric());
        assertFalse(m.ood().active(), "no enabled field: no gate");
    }

    @Test
    void theOodEntryIsWrittenExactlyAsTheUntypedMapWasWritten() throws IOException {
        // What OodGate.manifestEntry() put in the manifest before the entry became a record.
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("enabled", true);
        map.put("metric", "l2_to_predicted_label_centroid");
        map.put("quantile", 0.99);
        map.put("min_label_rows", 30);
        map.put("global_threshold", 4.25);
        map.put("label_thresholds", Arrays.asList(3.5, -1.0, Double.NaN));
        map.put("label_rows", List.of(120L, 0L, 41L));
        map.put("centroids_path", "ood/centroids.json");
        ObjectMapper json = new ObjectMapper();
        PolicyManifest m = Manifests.l2d("run-ood");
        JsonNode written = json.readTree(m.toJson()).get("ood");
        assertEquals(json.writeValueAsString(map), json.writeValueAsString(written));
        assertEquals("{\"enabled\":false}", json.writeValueAsString(
                json.readTree(withOod(m, PolicyManifest.Ood.disabled()).toJson()).get("ood")));

        PolicyManifest back = PolicyManifest.fromJson(m.toJson(), "test");
        assertTrue(back.ood().active());
        assertTrue(Double.isNaN(back.ood().labelThresholds().get(2)), "NaN travels as the string \"NaN\"");
        assertEquals(m.ood().labelRows(), back.ood().labelRows());
    }

    private static PolicyManifest withOod(PolicyManifest m, PolicyManifest.Ood ood) {
        return new PolicyManifest(m.schemaVersion(), m.runId(), m.createdAt(), m.codeVersion(), m.method(), m.reason(),
                m.target(), m.delta(), m.labels(), m.encoder(), m.stages(), m.certification(), m.traces(), m.config(),
                ood);
    }

    @Test
    void refusesAnUnknownSchemaVersionNamingBoth() {
        String json = Manifests.l2d("run-1").toJson().replace("\"schema_version\" : 1", "\"schema_version\" : 7");
        BadInputException e = assertThrows(BadInputException.class, () -> PolicyManifest.fromJson(json, "s3a://b/m.json"));
        assertTrue(e.getMessage().contains("schema_version 7"), e.getMessage());
        assertTrue(e.getMessage().contains("only schema_version 1"), e.getMessage());
        assertTrue(e.getMessage().contains("s3a://b/m.json"), e.getMessage());
    }

    @Test
    void refusesAMissingSchemaVersion() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> PolicyManifest.fromJson("{\"run_id\":\"x\"}", "m.json"));
        assertTrue(e.getMessage().contains("no integer schema_version"), e.getMessage());
    }

    @Test
    void refusesUnknownFieldsWithinAVersion() {
        String json = Manifests.l2d("run-1").toJson().replaceFirst("\\{", "{ \"surprise\" : 1,");
        BadInputException e = assertThrows(BadInputException.class, () -> PolicyManifest.fromJson(json, "m.json"));
        assertTrue(e.getMessage().contains("surprise"), e.getMessage());
    }

    @Test
    void validationErrorsNameTheField() {
        String json = Manifests.l2d("run-1").toJson().replace("\"stage0/gate\"", "\"../outside\"");
        BadInputException e = assertThrows(BadInputException.class, () -> PolicyManifest.fromJson(json, "m.json"));
        assertTrue(e.getMessage().contains("gate_path"), e.getMessage());
        assertTrue(e.getMessage().startsWith("policy manifest m.json"), e.getMessage());

        assertThrows(BadInputException.class, () -> Manifests.none("r", " "));
    }
}
