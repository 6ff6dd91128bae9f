package io.tracer.traces;

import io.tracer.Columns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

/**
 * The quarantine Delta table: every row a load refused, with why and where it came from.
 * Columns: run_id, reason, source_uri, source_file, source_line, trace_id, input, teacher, raw,
 * quarantined_at. Appends are idempotent per (run id, source): Delta's txnAppId/txnVersion
 * make a retried load of the same source in the same run a no-op instead of a second copy.
 */
public final class Quarantine {
    public static final String RUN_ID = "run_id";
    public static final String SOURCE_URI = "source_uri";
    public static final String RAW = "raw";
    public static final String QUARANTINED_AT = "quarantined_at";

    private Quarantine() {}

    static void append(Dataset<Row> checked, String quarantineUri, String runId, String sourceUri) {
        Dataset<Row> rows = checked.filter(col(Columns.REASON).isNotNull()).select(
                lit(runId).as(RUN_ID),
                col(Columns.REASON),
                lit(sourceUri).as(SOURCE_URI),
                col(Columns.SOURCE_FILE),
                col(Columns.SOURCE_LINE),
                col(Columns.TRACE_ID),
                col(Columns.INPUT),
                col(Columns.TEACHER),
                col(TraceValidator.RAW).as(RAW),
                current_timestamp().as(QUARANTINED_AT));
        io.tracer.lakehouse.DeltaRetry.run("quarantined rows of " + sourceUri, () -> rows.write().format("delta").mode("append")
                .option("txnAppId", "tracer-quarantine-" + runId + "-" + shortHash(sourceUri))
                .option("txnVersion", 0L)
                .option("userMetadata", "run " + runId + ": quarantine of " + sourceUri)
                .save(quarantineUri));
        io.tracer.Faults.point("quarantine");
    }

    private static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
