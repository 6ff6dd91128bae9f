package io.tracer.cli;

import io.tracer.audit.AuditJob;
import io.tracer.audit.AuditReport;
import io.tracer.audit.AuditRequest;
import io.tracer.config.TracerConfig;
import io.tracer.fit.FitRun;
import io.tracer.lakehouse.LakehouseLayout;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;

/**
 * {@code tracer audit}: checks a deployed policy against teacher labels on live traffic. Exit
 * codes: 0 no significant violation, {@value #EXIT_VIOLATION} agreement on handled rows is
 * significantly below the target (so a scheduler can alert), 1 failure, 2 bad input.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Audits a policy on traffic with teacher labels (deferred rows have them; a shadow share of "
                + "handled rows is sent to the teacher too): handled share, agreement on checked handled rows with "
                + "an exact interval, and an exact test of agreement >= target, overall and per label. Writes the "
                + "audit table; exits 3 when agreement is significantly below the target.")
public final class AuditCommand implements Callable<Integer> {
    /** Agreement on handled rows is significantly below the policy's target. */
    public static final int EXIT_VIOLATION = 3;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    TraceOptions traces = new TraceOptions();

    @Option(names = "--policy", required = true, paramLabel = "URI",
            description = "Policy root (its CURRENT version) or a policy version directory.")
    String policy;

    @Option(names = "--shadow-share", defaultValue = "1.0", paramLabel = "S",
            description = "Share of handled rows sent to the teacher for checking, the same hash sample as "
                    + "tracer route --shadow-share (default: ${DEFAULT-VALUE}: every handled row with a teacher label).")
    double shadowShare;

    @Option(names = "--alpha", paramLabel = "A",
            description = "Significance level of the violation test (default: the policy's delta).")
    Double alpha;

    @Option(names = "--no-ood", description = "Audit routing without the policy's out-of-distribution gate.")
    boolean noOod;

    @Option(names = "--lakehouse", paramLabel = "URI", description = "Lakehouse root (tracer.lakehouse.root).")
    String lakehouse;

    @Option(names = "--run-id", paramLabel = "ID", description = "Run id (default: UTC time + random suffix).")
    String runId;

    @Override
    public Integer call() {
        TracerConfig config = config();
        SparkSession spark = SparkSessions.create("tracer audit", config);
        try {
            AuditReport report = run(spark, config);
            System.out.print(report.render());
            return exitCode(report);
        } finally {
            spark.stop();
        }
    }

    static int exitCode(AuditReport report) {
        return report.violated() ? EXIT_VIOLATION : TracerCli.EXIT_OK;
    }

    TracerConfig config() {
        Map<String, String> flags = new LinkedHashMap<>();
        if (lakehouse != null) {
            flags.put("tracer.lakehouse.root", lakehouse);
        }
        return common.load(flags);
    }

    /** Audits on a session the caller owns. */
    AuditReport run(SparkSession spark, TracerConfig config) {
        LakehouseLayout layout = LakehouseLayout.of(config.lakehouse(), spark.sparkContext().hadoopConfiguration());
        return new AuditJob(spark, config, layout).run(new AuditRequest(policy, traces.source(), shadowShare,
                alpha == null ? OptionalDouble.empty() : OptionalDouble.of(alpha), !noOod,
                runId != null ? runId : FitRun.newRunId()));
    }
}
