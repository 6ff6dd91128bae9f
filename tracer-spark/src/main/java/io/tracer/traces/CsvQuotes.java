package io.tracer.traces;

import io.tracer.BadInputException;
import io.tracer.TracerException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a quoted CSV field that is never closed. RFC 4180 lets a quoted field span lines, so a
 * stray opening quote makes the parser read the rest of the file into that one field: every row
 * after it would vanish into one bad row, silently. This scans each file with the parser's own
 * rules (a quote opens a field only at the start of the field; inside it, two quotes are one
 * literal quote and a single quote closes it) and refuses the file when it ends inside a quoted
 * field, naming the line the field opened on.
 *
 * <p>Files larger than {@link #MAX_SCAN_BYTES} are not scanned (logged): the scan runs in the
 * driver. Two stray quotes that close each other are legal RFC 4180 and cannot be told apart from
 * a real multi-line field; the rows between them are read as one.
 */
final class CsvQuotes {
    private static final Logger LOG = LoggerFactory.getLogger(CsvQuotes.class);
    static final long MAX_SCAN_BYTES = 256L << 20;

    private CsvQuotes() {}

    static void requireBalanced(SparkSession spark, String uri) {
        try {
            Path path = new Path(uri);
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            FileStatus[] roots = fs.globStatus(path);
            if (roots == null) {
                return;
            }
            List<FileStatus> files = new ArrayList<>();
            for (FileStatus root : roots) {
                if (root.isFile()) {
                    files.add(root);
                    continue;
                }
                RemoteIterator<LocatedFileStatus> it = fs.listFiles(root.getPath(), true);
                while (it.hasNext()) {
                    LocatedFileStatus f = it.next();
                    String n = f.getPath().getName();
                    if (!n.startsWith("_") && !n.startsWith(".")) {
                        files.add(f);
                    }
                }
            }
            for (FileStatus f : files) {
                if (f.getLen() > MAX_SCAN_BYTES) {
                    LOG.info("{}: larger than {} bytes, its quotes are not checked", f.getPath(), MAX_SCAN_BYTES);
                    continue;
                }
                try (FSDataInputStream in = fs.open(f.getPath())) {
                    long open = unclosedQuoteLine(new BufferedInputStream(in, 1 << 16));
                    if (open > 0) {
                        throw new BadInputException(f.getPath() + ": line " + open + " opens a quoted field that is "
                                + "never closed where it should be (unbalanced quote), so the rows after it would be "
                                + "read into that one field; close the field's quote, or double a quote inside it (\"\")");
                    }
                }
            }
        } catch (IOException e) {
            throw new TracerException("cannot read " + uri + " to check its quotes: " + e.getMessage(), e);
        }
    }

    /**
     * The 1-based line where a badly quoted field opened (one still open at the end of the input,
     * or one whose closing quote is followed by more text), or 0 when every quoted field is well formed.
     */
    static long unclosedQuoteLine(InputStream in) throws IOException {
        long line = 1;
        long openedAt = 0;
        boolean inQuotes = false;
        boolean fieldStart = true;
        int c;
        while ((c = in.read()) != -1) {
            if (inQuotes) {
                if (c == '"') {
                    in.mark(1);
                    int next = in.read();
                    if (next == '"') {
                        continue; // an escaped quote
                    }
                    inQuotes = false;
                    if (next == -1) {
                        break;
                    }
                    if (next != ',' && next != '\n' && next != '\r') {
                        // RFC 4180: a closing quote ends the field. Text after it means the quote
                        // that opened the field was a stray one and swallowed the rows after it.
                        return openedAt;
                    }
                    in.reset();
                } else if (c == '\n') {
                    line++;
                }
                continue;
            }
            if (c == '"' && fieldStart) {
                inQuotes = true;
                openedAt = line;
                fieldStart = false;
            } else if (c == ',') {
                fieldStart = true;
            } else if (c == '\n') {
                line++;
                fieldStart = true;
            } else if (c != '\r') {
                fieldStart = false;
            }
        }
        return inQuotes ? openedAt : 0;
    }
}
