package io.tracer.policy.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracer.TracerException;
import io.tracer.gate.GateModel;
import io.tracer.serve.PortableFormat;
import io.tracer.zoo.SurrogateModel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

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
        for (Map.Entry<String, ExportedModel.NativeFile> f : files.entrySet()) {
            write(new Path(dirUri, f.getKey()), f.getValue());
        }
        write(new Path(dirUri, PortableFormat.MODEL_FILE), out -> JSON.writeValue(out, root));
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
