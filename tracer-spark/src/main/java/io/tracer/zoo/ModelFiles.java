package io.tracer.zoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tracer.BadInputException;
import io.tracer.TracerException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;

/**
 * Small JSON side files next to an MLlib model directory, read and written through Hadoop's
 * FileSystem so any Hadoop URI (file:, s3a:, abfss:, dbfs:) works.
 */
public final class ModelFiles {
    private ModelFiles() {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static ObjectMapper json() {
        return JSON;
    }

    /** Joins a child name onto a directory URI. */
    public static String child(String uri, String name) {
        return new Path(uri, name).toString();
    }

    public static void writeJson(String uri, Object value) {
        Path path = new Path(uri);
        try {
            FileSystem fs = path.getFileSystem(SparkSession.active().sparkContext().hadoopConfiguration());
            try (FSDataOutputStream out = fs.create(path, true)) {
                JSON.writeValue((java.io.OutputStream) out, value);
            }
        } catch (IOException e) {
            throw new TracerException("cannot write " + uri + ": " + e.getMessage(), e);
        }
    }

    public static JsonNode readJson(String uri) {
        Path path = new Path(uri);
        try {
            FileSystem fs = path.getFileSystem(SparkSession.active().sparkContext().hadoopConfiguration());
            if (!fs.exists(path)) {
                throw new BadInputException("model file " + uri + " does not exist");
            }
            try (FSDataInputStream in = fs.open(path)) {
                return JSON.readTree(in);
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read model file " + uri + ": " + e.getMessage(), e);
        }
    }
}
