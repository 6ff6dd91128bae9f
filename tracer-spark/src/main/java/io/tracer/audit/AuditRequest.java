package io.tracer.audit;

import io.tracer.traces.TraceSource;

import java.util.OptionalDouble;

/**
 * One {@code tracer audit} run.
 *
 * @param policy      a policy root (its CURRENT version) or a version directory
 * @param traces      traffic with teacher labels where the teacher answered (null elsewhere)
 * @param shadowShare share of handled rows sent to the teacher for checking (the same hash sample
 *                    {@code tracer route --shadow-share} marks); handled rows outside it, or without a
 *                    teacher label, are counted as unchecked
 * @param alpha       significance level of the violation test; empty = the policy's delta
 * @param ood         route with the policy's OOD gate, as deployed
 */
public record AuditRequest(String policy, TraceSource traces, double shadowShare, OptionalDouble alpha,
                           boolean ood, String runId) {}
