package io.tracer.cli;

import io.tracer.audit.AuditJob;
import io.tracer.audit.AuditReport;
import io.tracer.audit.AuditRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.OptionalDouble;

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
public final class AuditCommand extends SparkCommand {
    /** Agreement on handled rows is significantly below the policy's target. */
    public static final int EXIT_VIOLATION = 3;

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

    @Mixin
    LakehouseOption lakehouse = new LakehouseOption();

    @Mixin
    RunIdOption runId = new RunIdOption();

    @Override
    Map<String, String> configFlags() {
        return lakehouse.overrides();
    }

    @Override
    int run(JobContext job) {
        AuditReport report = audit(job);
        System.out.print(report.render());
        return exitCode(report);
    }

    static int exitCode(AuditReport report) {
        return report.violated() ? EXIT_VIOLATION : TracerCli.EXIT_OK;
    }

    AuditReport audit(JobContext job) {
        return new AuditJob(job.spark(), job.config(), job.layout()).run(new AuditRequest(policy, traces.source(),
                shadowShare, alpha == null ? OptionalDouble.empty() : OptionalDouble.of(alpha), !noOod,
                runId.orNew().value()));
    }
}
