/**
 * The fit as a chain of stages. {@link io.tracer.fit.FitJob} runs them in data-flow order, each
 * a {@link io.tracer.fit.FitStage} that takes the previous stage's record and returns its own:
 * load ({@link io.tracer.fit.FitRequest} to {@code LoadStage.Loaded}), embed (only when the table
 * has no vectors), split ({@link io.tracer.fit.FitData}), zoo ({@link io.tracer.fit.SurrogateFit}),
 * gates ({@link io.tracer.fit.GateFit}), ood ({@link io.tracer.fit.OodFit}), score
 * ({@link io.tracer.fit.ScoredSplits}), pipelines and rsb ({@link io.tracer.fit.CountedCandidates}),
 * certify ({@link io.tracer.fit.Frontier}). {@link io.tracer.fit.FitRun} wraps the chain as users
 * run it: the runs-table row, then {@link io.tracer.fit.PolicyPublisher} (the policy), the
 * metric tables in one pool (the publication's history row, {@link io.tracer.fit.FitTables}'
 * frontier, candidates and label coverage, and the report's tables), a command's own step, the
 * report page and the summary. Each stage's Spark jobs carry a job group named after it.
 */
package io.tracer.fit;
