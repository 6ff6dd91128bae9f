package io.tracer.traces;

import io.tracer.BadInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Resolves {@code auto} to a concrete {@link TraceFormat} by looking at the path through the
 * Hadoop FileSystem: a {@code _delta_log} folder means Delta, otherwise the extension of the
 * file (or of the first data file in a folder) decides. A name that is no existing path but
 * is a catalog table resolves to {@code table}.
 */
final class FormatResolver {
    private static final Logger LOG = LoggerFactory.getLogger(FormatResolver.class);
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][\\w]*(\\.[A-Za-z_][\\w]*){0,2}");

    private FormatResolver() {}

    static TraceFormat resolve(SparkSession spark, String uri, String format) {
        if (!"auto".equalsIgnoreCase(format.trim())) {
            return TraceFormat.parse(format);
        }
        TraceFormat f = detect(spark, uri);
        LOG.info("trace format of {}: {} (auto-detected)", uri, f.name().toLowerCase());
        return f;
    }

    private static TraceFormat detect(SparkSession spark, String uri) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        try {
            Path path = new Path(uri);
            FileSystem fs = path.getFileSystem(hadoop);
            if (fs.exists(path)) {
                FileStatus st = fs.getFileStatus(path);
                if (st.isDirectory()) {
                    if (fs.exists(new Path(path, "_delta_log"))) {
                        return TraceFormat.DELTA;
                    }
                    TraceFormat f = firstDataFileFormat(fs, path);
                    if (f != null) {
                        return f;
                    }
                    throw new BadInputException("directory " + uri + " holds no trace files (.jsonl, .json, .csv, "
                            + ".parquet) and no _delta_log; point --traces at the files, or set --format");
                } else {
                    TraceFormat f = TraceFormat.fromFileName(path.getName());
                    if (f != null) {
                        return f;
                    }
                }
                throw new BadInputException("cannot tell the format of " + uri
                        + " (expected .jsonl/.json, .csv, .parquet or a Delta table); set --format");
            }
            FileStatus[] globbed = fs.globStatus(path);
            if (globbed != null && globbed.length > 0) {
                TraceFormat f = TraceFormat.fromFileName(globbed[0].getPath().getName());
                if (f != null) {
                    return f;
                }
            }
        } catch (IllegalArgumentException | IOException e) {
            // Not a usable path (e.g. a bare table name with dots): try the catalog below.
            LOG.debug("{} is not a readable path: {}", uri, e.toString());
        }
        if (TABLE_NAME.matcher(uri).matches() && spark.catalog().tableExists(uri)) {
            return TraceFormat.TABLE;
        }
        throw new BadInputException("trace table " + uri + " not found: no such path, and no catalog table of that name");
    }

    private static TraceFormat firstDataFileFormat(FileSystem fs, Path dir) throws IOException {
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
        while (it.hasNext()) {
            Path p = it.next().getPath();
            String name = p.getName();
            if (name.startsWith("_") || name.startsWith(".")) {
                continue;
            }
            TraceFormat f = TraceFormat.fromFileName(name);
            if (f != null) {
                return f;
            }
        }
        return null;
    }
}
