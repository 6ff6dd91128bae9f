package io.tracer.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The content of the {@code CURRENT} file: which version is live and which one it replaced,
 * so {@code tracer update} can roll back one step without a separate log.
 *
 * @param version     version id under {@code versions/}
 * @param previous    the version that was current before, or null
 * @param publishedAt ISO-8601 instant of the flip
 */
record CurrentPointer(@JsonProperty("version") String version,
                      @JsonProperty("previous") String previous,
                      @JsonProperty("published_at") String publishedAt) {

    // Unknown fields are ignored here (unlike the manifest): a pointer only has to name a version.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pointer, or null when the text is empty or torn (a store that shows a file before its bytes). */
    static CurrentPointer parseOrNull(String json) {
        try {
            CurrentPointer p = MAPPER.readValue(json, CurrentPointer.class);
            return p == null || p.version() == null || p.version().isBlank() ? null : p;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
