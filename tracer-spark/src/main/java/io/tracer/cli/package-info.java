/**
 * The {@code tracer} command line (picocli) and the only place a SparkSession is built.
 *
 * <ul>
 *   <li>{@link io.tracer.cli.TracerCli}: the root command, its subcommands and the exit codes
 *       (0 ok, 1 failure, 2 bad usage or input; audit adds 3).</li>
 *   <li>{@link io.tracer.cli.SparkCommand}: what every Spark command is. It declares its flags,
 *       maps the ones that set configuration keys ({@link io.tracer.config.ConfigKeys}), and works
 *       in {@code run(JobContext)}.</li>
 *   <li>{@link io.tracer.cli.JobShell}: the lifecycle around that work, the same for every
 *       command: log the effective configuration, build the session ({@link io.tracer.cli.SparkSessions}),
 *       open the {@link io.tracer.cli.JobContext} (config, session, lakehouse layout with the root
 *       qualified one way for all), stop the session.</li>
 *   <li>Mixins for the options several commands share: {@link io.tracer.cli.CommonOptions}
 *       ({@code --conf}, {@code -D}), {@link io.tracer.cli.LakehouseOption} ({@code --lakehouse}),
 *       {@link io.tracer.cli.RunIdOption} ({@code --run-id}, an {@link io.tracer.RunId}),
 *       {@link io.tracer.cli.TraceOptions} (where traces come from) and
 *       {@link io.tracer.cli.FitOptions} (the flags of the commands that fit).</li>
 * </ul>
 *
 * <p>The commands hold no logic of their own beyond turning flags into a request for the job
 * package that does the work (fit, update, route, audit, report, embed, generate, bench).
 */
package io.tracer.cli;
