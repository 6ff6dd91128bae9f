/**
 * Logs a person can read: what the jobs use to say what they are doing without flooding the
 * console. Plain Java and slf4j, except {@link io.tracer.log.SparkProgress}, which reads Spark's
 * status tracker.
 *
 * <ul>
 *   <li>{@link io.tracer.log.Progress}: a long loop's progress (done of total, rows/s, an estimate
 *       of the time left), at most one line every few seconds.</li>
 *   <li>{@link io.tracer.log.SparkProgress}: the same for a Spark job group the driver waits on
 *       (e.g. routing), from completed tasks.</li>
 *   <li>{@link io.tracer.log.WarnOnce}: a warning once per cause at WARN, repeats at DEBUG and
 *       counted ({@code io.tracer.fit.StageClock} reports the count on the stage's line).</li>
 *   <li>{@link io.tracer.log.LogLevels}: {@code --quiet} (warnings, errors and the summary only)
 *       and whether library chatter (XGBoost's per-round evaluation, silenced by
 *       {@code io.tracer.zoo.XgboostConsole}) should be on.</li>
 *   <li>{@link io.tracer.log.ConfigLines}: the effective configuration in one line per section.</li>
 * </ul>
 *
 * <p>Levels: tracer's own loggers ({@code io.tracer}) log at INFO by default; {@code jobs/tracer}
 * reads {@code TRACER_LOG_LEVEL} (e.g. {@code debug}) and {@code conf/log4j2.properties} keeps
 * known-harmless library warnings at ERROR unless that level is DEBUG or finer.
 */
package io.tracer.log;
