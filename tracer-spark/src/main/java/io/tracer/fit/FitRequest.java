package io.tracer.fit;

import io.tracer.traces.TraceSource;

import java.util.Optional;

/**
 * What one fit is asked to do. The targets, and which one is published, come from the
 * configuration ({@code tracer.calibrate}), their one home.
 *
 * @param publish     false to compute and write tables without publishing a policy
 * @param parentRunId the run this one follows (tracer update), for the runs table
 * @param command     the tracer subcommand, recorded in the runs table
 */
public record FitRequest(TraceSource traces, String runId, boolean publish, Optional<String> parentRunId,
                         String command) {}
