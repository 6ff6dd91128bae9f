package io.tracer.policy.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracer.TracerException;
import io.tracer.gate.GateModel;
import io.tracer.serve.PortableFormat;
import io.tracer.serve.PortablePolicy;
import io.tracer.zoo.SurrogateModel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one policy stage's portable export into a directory (any Hadoop URI): the native model
 * files first, {@code portable.json} last. Everything is converted before anything is written,
 * so an unsupported model leaves no partial export behind.
 */
public final class PortableExporter {
    // Compact: a Banking77 MLP is ~120k numbers. Non-finite doubles are written as quoted strings.
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private final Configuration conf;

    public PortableExporter(Configuration hadoopConf) {
        this.conf = hadoopConf;
    }

    /**
     * @param gate null for a global stage
     * @throws UnsupportedExportException when a model cannot be represented exactly
     */
    public void export(SurrogateModel surrogate, GateModel gate, String dirUri) {
        for (Map.Entry<String, ExportedModel.NativeFile> f : files(surrogate, gate).entrySet()) {
            write(new Path(dirUri, f.getKey()), f.getValue());
        }
    }

    /**
     * The same export kept in memory, as the kernel reads it: for routing with models that were
     * never published (a fit's outcome) or published without an export (older policies).
     *
     * @param gate      null for a global stage
     * @param threshold the stage threshold (for an RSB first stage, the cascade threshold)
     * @param source    what the models are, for messages
     * @throws UnsupportedExportException when a model cannot be represented exactly
     */
    public static PortablePolicy.Stage inMemory(int number, double threshold, String source,
                                                SurrogateModel surrogate, GateModel gate) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        for (Map.Entry<String, ExportedModel.NativeFile> f : files(surrogate, gate).entrySet()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                f.getValue().write(out);
            } catch (Exception e) {
                throw new TracerException("cannot export " + source + " in memory: " + e.getMessage(), e);
            }
            bytes.put(f.getKey(), out.toByteArray());
        }
        return new PortablePolicy.Stage(number, threshold, source, bytes);
    }

    /**
     * Every file of a stage's export, in writing order: the native model files first,
     * {@link PortableFormat#MODEL_FILE} last. Converting happens here, before anything is written.
     */
    private static Map<String, ExportedModel.NativeFile> files(SurrogateModel surrogate, GateModel gate) {
        ExportedModel s = SurrogateExport.of(surrogate);
        ExportedModel g = gate == null ? null : GateExport.of(gate);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put(PortableFormat.FORMAT, PortableFormat.FORMAT_VERSION);
        root.put(PortableFormat.SURROGATE, s.json());
        root.put(PortableFormat.GATE, g == null ? null : g.json());
        Map<String, ExportedModel.NativeFile> files = new LinkedHashMap<>(s.files());
        if (g != null) {
            files.putAll(g.files());
        }
        files.put(PortableFormat.MODEL_FILE, out -> JSON.writeValue(out, root));
        return files;
    }

    private void write(Path path, ExportedModel.NativeFile content) {
        try {
            FileSystem fs = path.getFileSystem(conf);
            try (FSDataOutputStream out = fs.create(path, true)) {
                content.write(out);
            }
        } catch (Exception e) {
            throw new TracerException("cannot write portable export " + path + ": " + e.getMessage(), e);
        }
    }
}
