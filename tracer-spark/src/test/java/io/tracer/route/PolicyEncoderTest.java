package io.tracer.route;

import io.tracer.BadInputException;
import io.tracer.embed.BuiltInEncoder;
import io.tracer.policy.PolicyManifest;
import io.tracer.serve.PortablePolicy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Text routed without vectors is encoded with the encoder the policy's models read, or refused. */
class PolicyEncoderTest {
    private static PortablePolicy reading(String encoderId, int dim) {
        return new PortablePolicy(PortablePolicy.newId(), "file:/policy", PolicyManifest.Method.NONE, List.of("a", "b"),
                0.5, encoderId, dim, "test", List.of(), null);
    }

    @Test
    void eachBuiltInEncodersPolicyIsRoutedWithThatEncoder() {
        assertSame(BuiltInEncoder.MINILM, BatchRouter.policyEncoder(reading("all-minilm-l6-v2-q", 384)));
        assertSame(BuiltInEncoder.BGE_SMALL, BatchRouter.policyEncoder(reading("bge-small-en-v1.5-q", 384)));
    }

    @Test
    void anUnknownEncoderOrAnotherWidthIsRefusedByName() {
        BadInputException other = assertThrows(BadInputException.class,
                () -> BatchRouter.policyEncoder(reading("my-encoder", 384)));
        assertTrue(other.getMessage().contains("my-encoder") && other.getMessage().contains("bge-small-en-v1.5-q"),
                other.getMessage());
        BadInputException width = assertThrows(BadInputException.class,
                () -> BatchRouter.policyEncoder(reading("bge-small-en-v1.5-q", 16)));
        assertTrue(width.getMessage().contains("dim 16"), width.getMessage());
        BadInputException unknown = assertThrows(BadInputException.class,
                () -> BatchRouter.policyEncoder(reading(null, 384)));
        assertTrue(unknown.getMessage().contains("unknown encoder"), unknown.getMessage());
    }
}
