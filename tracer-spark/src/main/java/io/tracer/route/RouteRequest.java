package io.tracer.route;

import io.tracer.traces.TraceSource;

/**
 * One {@code tracer route} run.
 *
 * @param policy      a policy root (its CURRENT version is used) or a version directory
 * @param output      the Delta table the routed rows go to
 * @param overwrite   replace the output table instead of appending to it
 * @param ood         apply the policy's out-of-distribution gate (switching it off routes
 *                    differently from what was certified)
 * @param shadowShare share of handled rows marked {@link RouteColumns#SHADOW} for the audit
 */
public record RouteRequest(String policy, TraceSource input, String output, boolean overwrite, boolean ood,
                           double shadowShare, String runId) {}
