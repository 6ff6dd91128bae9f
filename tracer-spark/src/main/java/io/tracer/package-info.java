/**
 * tracer-spark's shared vocabulary, which every other package may use and which uses none of
 * them: {@link io.tracer.Columns} (the canonical column names every stage reads and writes),
 * {@link io.tracer.Seeds} (each stage's seed, derived from the one root seed),
 * {@link io.tracer.Lineage} (persisting a stage's output behind a short plan), and the two
 * failures a command maps to exit codes: {@link io.tracer.TracerException} (exit 1, a runtime
 * failure) and {@link io.tracer.BadInputException} (exit 2, bad usage or bad input).
 *
 * <p>The packages below follow a row through the fit (docs/design.md): {@code traces} (load,
 * validate, quarantine), {@code embed}, {@code split}, {@code zoo} (surrogates), {@code gate},
 * {@code ood}, {@code pipeline} (the families), {@code calibrate} (certification), {@code policy}
 * (publication), {@code lakehouse} and {@code report}; then {@code route} and {@code router}
 * (serving, with and without Spark), {@code audit}, {@code update} and {@code bench}, all driven
 * from {@code cli}.
 */
package io.tracer;
