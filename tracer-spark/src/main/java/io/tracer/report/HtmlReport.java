package io.tracer.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracer.TracerException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link ReportModel} as one self-contained HTML page: ECharts and the chart code are
 * inlined and the chart data is a JSON block, so the file opens from disk with no network.
 * Plain Java: no Spark here. Text from traces is HTML-escaped; inputs longer than
 * {@link #MAX_INPUT_CHARS} are cut (the tables hold them whole).
 */
public final class HtmlReport {
    /** Where the echarts webjar keeps its full build (sankey included). */
    public static final String ECHARTS_RESOURCE = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    static final String CHARTS_RESOURCE = "io/tracer/report/report.js";
    static final int MAX_INPUT_CHARS = 400;

    private static final ObjectMapper JSON = new ObjectMapper();

    private HtmlReport() {}

    public static String render(ReportModel m) {
        StringBuilder h = new StringBuilder(1 << 21);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>tracer report ")
                .append(esc(m.runId())).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<h1>tracer report: run ").append(esc(m.runId())).append("</h1>\n");
        header(h, m);
        int labelCount = m.slices(SliceTable.LABEL).size();
        h.append("<h2>Frontier</h2>\n<div id=\"chart-frontier\" class=\"chart\" style=\"height:420px\"></div>\n");
        h.append("<h2>Routing flow</h2>\n<div id=\"chart-flow\" class=\"chart\" style=\"height:340px\"></div>\n");
        h.append("<h2>Coverage per label</h2>\n<div id=\"chart-labels\" class=\"chart\" style=\"height:")
                .append(Math.max(300, 26 * labelCount + 110)).append("px\"></div>\n");
        h.append("<div id=\"chart-lengths\" class=\"chart\" style=\"height:320px\"></div>\n");
        h.append("<h2>Cost projection</h2>\n<div id=\"chart-cost\" class=\"chart\" style=\"height:320px\"></div>\n");
        slicesTable(h, m);
        pairsTable(h, m);
        examplesTable(h, m);
        h.append("<script>\n").append(scriptSafe(resource(ECHARTS_RESOURCE))).append("\n</script>\n");
        h.append("<script type=\"application/json\" id=\"report-data\">").append(scriptSafe(data(m)))
                .append("</script>\n");
        h.append("<script>\n").append(scriptSafe(resource(CHARTS_RESOURCE))).append("\n</script>\n");
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, ReportModel m) {
        h.append("<p class=\"meta\">deploy target ").append(num(m.target(), 3));
        var deployed = m.deployed();
        if (deployed.isPresent() && deployed.get().certified()) {
            var d = deployed.get();
            h.append(", delta ").append(num(d.delta(), 3)).append(": <b>").append(esc(d.pipeline()))
                    .append("</b> handles <b>").append(num(100 * d.coverage(), 1)).append("%</b> of calibration rows at ")
                    .append("threshold ").append(num(d.threshold(), 4)).append(", agreement ")
                    .append(num(d.agreement(), 4)).append(". <b>Certified: agreement at least ")
                    .append(num(m.target(), 3)).append("</b> on the traffic it handles (the chance that a fit publishes")
                    .append(" a policy below its target is at most delta). Clopper-Pearson bound at this threshold ")
                    .append(num(d.lower(), 4)).append(": a per-threshold figure, not a certificate.</p>\n");
        } else {
            h.append(": <b>nothing deployed</b>; every query goes to the teacher (")
                    .append(esc(deployed.map(ReportModel.FrontierPoint::reason).orElse("no candidate"))).append(").</p>\n");
        }
        if (m.policyUri() != null) {
            h.append("<p class=\"meta\">policy: <code>").append(esc(m.policyUri())).append("</code></p>\n");
        }
        double coverage = m.overall().map(ReportModel.Slice::share).orElse(0.0);
        double calls = m.cost().dailyVolume() * coverage;
        h.append("<p class=\"meta\">at ").append(String.format(Locale.ROOT, "%,d", m.cost().dailyVolume()))
                .append(" queries/day and ").append(num(m.cost().pricePerCall(), 4)).append(" per teacher call: ")
                .append(String.format(Locale.ROOT, "%,.0f", calls)).append(" calls/day answered by the surrogate, ")
                .append(num(calls * m.cost().pricePerCall(), 2)).append(" saved per day (")
                .append(num(30 * calls * m.cost().pricePerCall(), 2)).append(" per 30 days).</p>\n");
    }

    private static void slicesTable(StringBuilder h, ReportModel m) {
        h.append("<h2>Slices</h2>\n<table>\n<tr><th>dimension</th><th>slice</th><th>length</th><th>rows</th>")
                .append("<th>handled</th><th>handled %</th><th>agreement on handled</th><th>stage 1</th>")
                .append("<th>stage 2</th><th>deferred: gate</th><th>deferred: OOD</th></tr>\n");
        List<ReportModel.Slice> ordered = new ArrayList<>(m.slices(SliceTable.ALL));
        ordered.addAll(m.slices(SliceTable.INPUT_LENGTH));
        ordered.addAll(m.slices(SliceTable.LABEL));
        for (ReportModel.Slice s : ordered) {
            h.append("<tr><td>").append(esc(s.dimension())).append("</td><td>").append(esc(s.slice()))
                    .append("</td><td>").append(s.lengthMin()).append("-").append(s.lengthMax())
                    .append("</td><td class=\"n\">").append(s.rows()).append("</td><td class=\"n\">").append(s.handled())
                    .append("</td><td class=\"n\">").append(num(100 * s.share(), 1))
                    .append("</td><td class=\"n\">").append(num(s.agreement(), 4))
                    .append("</td><td class=\"n\">").append(s.handledStage1()).append("</td><td class=\"n\">")
                    .append(s.handledStage2()).append("</td><td class=\"n\">").append(s.deferredGate())
                    .append("</td><td class=\"n\">").append(s.deferredOod()).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void pairsTable(StringBuilder h, ReportModel m) {
        h.append("<h2>Boundary pairs</h2>\n<p class=\"meta\">Per teacher label, a handled and a deferred input ")
                .append("close to each other in embedding space (Euclidean distance).</p>\n<table>\n")
                .append("<tr><th>label</th><th>#</th><th>distance</th><th>handled input</th><th>score</th>")
                .append("<th>surrogate</th><th>deferred input</th><th>score</th><th>reason</th></tr>\n");
        if (m.pairs().isEmpty()) {
            h.append("<tr><td colspan=\"9\">no label has both handled and deferred rows</td></tr>\n");
        }
        for (ReportModel.Pair p : m.pairs()) {
            h.append("<tr><td>").append(esc(p.label())).append("</td><td class=\"n\">").append(p.rank())
                    .append("</td><td class=\"n\">").append(num(p.distance(), 4)).append("</td><td class=\"text\" title=\"")
                    .append(esc(p.handledTraceId())).append("\">").append(esc(cut(p.handledInput())))
                    .append("</td><td class=\"n\">").append(num(p.handledScore(), 4)).append("</td><td>")
                    .append(esc(p.handledSurrogateLabel())).append("</td><td class=\"text\" title=\"")
                    .append(esc(p.deferredTraceId())).append("\">").append(esc(cut(p.deferredInput())))
                    .append("</td><td class=\"n\">").append(num(p.deferredScore(), 4)).append("</td><td>")
                    .append(esc(p.deferredReason())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void examplesTable(StringBuilder h, ReportModel m) {
        h.append("<h2>Examples</h2>\n<table>\n<tr><th>label</th><th>decision</th><th>input</th><th>score</th>")
                .append("<th>surrogate</th><th>teacher</th><th>trace</th></tr>\n");
        for (ReportModel.Example e : m.examples()) {
            h.append("<tr class=\"").append(esc(e.decision())).append("\"><td>").append(esc(e.label()))
                    .append("</td><td>").append(esc(e.decision())).append("</td><td class=\"text\">")
                    .append(esc(cut(e.input()))).append("</td><td class=\"n\">").append(num(e.score(), 4))
                    .append("</td><td>").append(esc(e.surrogateLabel())).append("</td><td>").append(esc(e.teacher()))
                    .append("</td><td>").append(esc(e.traceId())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    /** The chart data; NaN and infinities become null, which JSON and ECharts both read. */
    static String data(ReportModel m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("runId", m.runId());
        d.put("target", m.target());
        List<Map<String, Object>> frontier = new ArrayList<>();
        List<Map<String, Object>> deployed = new ArrayList<>();
        for (double t : m.targets()) {
            ReportModel.FrontierPoint p = m.at(t).orElseThrow();
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("target", t);
            f.put("pipeline", p.certified() ? p.pipeline() : "nothing deployed");
            f.put("coverage", p.certified() ? finite(p.coverage()) : 0.0);
            deployed.add(f);
        }
        d.put("deployed", deployed);
        for (ReportModel.FrontierPoint p : m.frontier()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("target", p.target());
            f.put("pipeline", p.pipeline());
            f.put("family", p.family());
            f.put("selected", p.selected());
            f.put("certified", p.certified());
            // every row but the certified one is the candidate's own run: information only
            f.put("informationOnly", !p.certified());
            f.put("coverage", finite(p.coverage()));
            f.put("lower", finite(p.lower()));
            frontier.add(f);
        }
        d.put("frontier", frontier);
        List<Map<String, Object>> labels = new ArrayList<>();
        for (ReportModel.Slice s : m.slices(SliceTable.LABEL)) {
            labels.add(slice(s));
        }
        d.put("labels", labels);
        List<Map<String, Object>> lengths = new ArrayList<>();
        for (String t : List.of(SliceTable.SHORT, SliceTable.MEDIUM, SliceTable.LONG)) {
            m.slices(SliceTable.INPUT_LENGTH).stream().filter(s -> s.slice().equals(t)).findFirst()
                    .ifPresent(s -> lengths.add(slice(s)));
        }
        d.put("lengths", lengths);
        Map<String, Object> flow = new LinkedHashMap<>();
        ReportModel.Slice all = m.overall().orElse(null);
        long rows = all == null ? 0 : all.rows();
        long s1 = all == null ? 0 : all.handledStage1();
        long s2 = all == null ? 0 : all.handledStage2();
        long gate = all == null ? 0 : all.deferredGate();
        long ood = all == null ? 0 : all.deferredOod();
        flow.put("rows", rows);
        flow.put("stage1", s1);
        flow.put("stage2", s2);
        flow.put("gate", gate);
        flow.put("ood", ood);
        flow.put("other", rows - s1 - s2 - gate - ood);
        d.put("flow", flow);
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("dailyVolume", m.cost().dailyVolume());
        cost.put("price", m.cost().pricePerCall());
        List<Map<String, Object>> perTarget = new ArrayList<>();
        for (double t : m.targets()) {
            ReportModel.FrontierPoint p = m.at(t).orElseThrow();
            double coverage = p.certified() ? p.coverage() : 0.0;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("target", p.target());
            c.put("coverage", coverage);
            c.put("savedPerDay", m.cost().dailyVolume() * coverage * m.cost().pricePerCall());
            perTarget.add(c);
        }
        cost.put("perTarget", perTarget);
        d.put("cost", cost);
        try {
            return JSON.writeValueAsString(d);
        } catch (JsonProcessingException e) {
            throw new TracerException("cannot write the report's chart data: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> slice(ReportModel.Slice s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("label", s.slice());
        out.put("slice", s.slice());
        out.put("min", s.lengthMin());
        out.put("max", s.lengthMax());
        out.put("rows", s.rows());
        out.put("share", finite(s.share()));
        out.put("agreement", finite(s.agreement()));
        return out;
    }

    static String resource(String name) {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new TracerException("resource " + name + " is not on the classpath (the echarts webjar, "
                        + "org.webjars.npm:echarts:5.3.1, or the tracer jar is incomplete)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TracerException("cannot read resource " + name + ": " + e.getMessage(), e);
        }
    }

    /** Inside a script element only "</" can end it early; "<\/" means the same to JavaScript and JSON. */
    static String scriptSafe(String code) {
        return code.replace("</", "<\\/").replace("<!--", "<\\!--");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_INPUT_CHARS ? s : s.substring(0, MAX_INPUT_CHARS) + "\u2026";
    }

    private static Double finite(Double v) {
        return v == null || v.isNaN() || v.isInfinite() ? null : v;
    }

    static String num(Double v, int decimals) {
        if (v == null) {
            return "-";
        }
        if (v.isNaN()) {
            return "NaN";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static final String CSS = """
            body { font-family: -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; margin: 24px;
                   color: #222; background: #fff; max-width: 1400px; }
            h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
            .meta { color: #444; } code { font-size: 12px; }
            .chart { width: 100%; margin: 8px 0 16px 0; }
            table { border-collapse: collapse; font-size: 13px; margin: 8px 0 24px 0; }
            th, td { border: 1px solid #ddd; padding: 3px 8px; vertical-align: top; }
            th { background: #f3f3f3; text-align: left; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            td.text { max-width: 420px; white-space: pre-wrap; word-break: break-word; }
            tr.handled td:nth-child(2) { color: #1f77b4; } tr.deferred td:nth-child(2) { color: #d62728; }
            """;
}
