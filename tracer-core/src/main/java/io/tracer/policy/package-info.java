/**
 * The deployable policy: {@link io.tracer.policy.PolicyManifest} (a versioned JSON record with no
 * Spark import, so the Spark-free router can read it) and {@link io.tracer.policy.PolicyStore},
 * which publishes a version atomically under a policy root through the Hadoop FileSystem API.
 *
 * <p>Layout under the policy root:
 * <pre>
 *   versions/&lt;version id&gt;/...            model directories, written first
 *   versions/&lt;version id&gt;/manifest.json  written last; a version without it is incomplete
 *   CURRENT                               tiny JSON naming the current version, flipped last
 * </pre>
 */
package io.tracer.policy;
