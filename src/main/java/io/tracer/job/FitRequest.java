package io.tracer.job;

import io.tracer.traces.TraceSource;

import java.util.Optional;

/**
 * What one fit is asked to do.
 *
 * @param deployTarget the target whose policy is published; always part of the frontier
 * @param parentRunId  the run this one follows (tracer update), for the runs table
 */
public record FitRequest(TraceSource traces, String runId, double deployTarget, boolean publish,
                         Optional<String> parentRunId, String command) {}
