package io.tracer.fit;

import io.tracer.policy.LoadedPolicy;

import java.util.Optional;

/**
 * One policy publication: the version written, whether it went live, and what was live before.
 *
 * @param policy            the complete version as written
 * @param madeCurrent       true when CURRENT was flipped to it
 * @param previousVersionId the version that was current when this one was published, if any;
 *                          still current when {@code madeCurrent} is false
 * @param reason            why it was not made current or deploys nothing, empty when certified
 */
public record Publication(LoadedPolicy policy, boolean madeCurrent, Optional<String> previousVersionId,
                          Optional<String> reason) {

    /** One line for logs and runs.message. */
    public String describe() {
        if (madeCurrent) {
            return "policy " + policy.versionId() + " is current"
                    + reason.map(r -> " but deploys nothing (" + r + ")").orElse("");
        }
        return "policy " + policy.versionId() + " NOT made current (" + reason.orElse("not certified") + "); "
                + previousVersionId.map(v -> v + " stays current").orElse("no policy is current");
    }
}
