package io.tracer.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Small trace tables for the reliability tests: four well separated intents, so that the cheapest
 * fit certifies something, written as JSONL or CSV with whatever defect a case needs.
 */
final class Fixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> LABELS = List.of("billing", "password", "shipping", "weather");
    private static final Map<String, String[]> TEMPLATES = Map.of(
            "billing", new String[] {"I was charged twice on my card, order %d", "refund the payment for invoice %d",
                    "why is there an extra fee on bill %d"},
            "password", new String[] {"I forgot my password for account %d", "reset my login password please %d",
                    "cannot sign in, password rejected %d"},
            "shipping", new String[] {"where is my package, tracking %d", "my parcel %d has not arrived yet",
                    "change the delivery address of shipment %d"},
            "weather", new String[] {"will it rain tomorrow in city %d", "what is the temperature today, zone %d",
                    "is there a storm warning for region %d"});

    /** One trace: id, input, teacher. */
    record Trace(String id, String input, String teacher) {
        Trace withTeacher(String t) {
            return new Trace(id, input, t);
        }

        Trace withInput(String i) {
            return new Trace(id, i, teacher);
        }

        Trace withId(String i) {
            return new Trace(i, input, teacher);
        }
    }

    private Fixtures() {}

    /** {@code n} traces cycling through the labels, ids t0000.., texts distinct. */
    static List<Trace> traces(int n) {
        List<Trace> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String label = LABELS.get(i % LABELS.size());
            String[] t = TEMPLATES.get(label);
            out.add(new Trace(String.format("t%04d", i), String.format(t[(i / LABELS.size()) % t.length], i), label));
        }
        return out;
    }

    static String jsonLine(Trace t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("trace_id", t.id());
        o.put("input", t.input());
        if (t.teacher() == null) {
            o.putNull("teacher");
        } else {
            o.put("teacher", t.teacher());
        }
        return o.toString();
    }

    static Path jsonl(Path file, List<Trace> traces) throws IOException {
        StringBuilder s = new StringBuilder();
        for (Trace t : traces) {
            s.append(jsonLine(t)).append('\n');
        }
        return write(file, s.toString());
    }

    static String csvField(String v) {
        if (v == null) {
            return "";
        }
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }

    static String csv(List<Trace> traces, String delimiter) {
        StringBuilder s = new StringBuilder("trace_id" + delimiter + "input" + delimiter + "teacher\n");
        for (Trace t : traces) {
            s.append(t.id()).append(delimiter).append(csvField(t.input())).append(delimiter)
                    .append(t.teacher() == null ? "" : csvField(t.teacher())).append('\n');
        }
        return s.toString();
    }

    static Path csv(Path file, List<Trace> traces) throws IOException {
        return write(file, csv(traces, ","));
    }

    static Path write(Path file, String text) throws IOException {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return file;
    }

    static String uri(Path p) {
        return p.toUri().toString();
    }
}
