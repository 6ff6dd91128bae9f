package io.tracer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracer.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** Rendering without Spark: hostile trace text stays text, and the chart data is valid JSON. */
class HtmlReportTest {
    static final String HOSTILE = "</script><script>alert('x')</script> & <b>bold</b>";

    static ReportModel model(String label, String input) {
        var frontier = List.of(
                new ReportModel.FrontierPoint(0.9, 0.05, "l2d", "lr", "top1", true, true, 0.7, 0.6, 0.95, 0.91, null),
                new ReportModel.FrontierPoint(0.95, 0.05, "l2d", "lr", "top1", true, false, null, 0.0, null, null,
                        "below target"));
        var slices = List.of(
                new ReportModel.Slice("all", "all", 3, 90, 100, 60, 0.6, 57, 0.95, 60, 0, 35, 5),
                new ReportModel.Slice("label", label, 3, 90, 100, 60, 0.6, 57, 0.95, 60, 0, 35, 5),
                new ReportModel.Slice("input_length", "short", 3, 10, 100, 60, 0.6, 57, 0.95, 60, 0, 35, 5));
        var pairs = List.of(new ReportModel.Pair(label, 1, 0.5, "t1", input, 0.8, label, "t2", input, Double.NaN,
                "out_of_distribution"));
        var examples = List.of(new ReportModel.Example(label, "t1", input, "handled", 0.8, label, label));
        return new ReportModel("r1", 0.9, frontier, slices, pairs, examples,
                ConfigLoader.load(null, java.util.Map.of()).report(), null);
    }

    @Test
    void traceTextIsEscapedEverywhere() {
        String html = HtmlReport.render(model(HOSTILE, HOSTILE));
        // inside a script element only "</script" ends it: exactly the page's three (echarts, data, charts)
        assertEquals(3, Pattern.compile("</script", Pattern.CASE_INSENSITIVE).matcher(html).results().count());
        // and outside them trace text is escaped
        String markup = Pattern.compile("<script[^>]*>.*?</script>", Pattern.DOTALL).matcher(html).replaceAll("");
        assertFalse(markup.contains("<script"), "a trace must not open a script element");
        assertFalse(markup.contains("<b>bold</b>"));
        assertTrue(markup.contains("&lt;/script&gt;&lt;script&gt;alert(&#39;x&#39;)"));
    }

    @Test
    void chartDataIsJsonWithNoNaN() throws Exception {
        String html = HtmlReport.render(model(HOSTILE, "plain"));
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>",
                Pattern.DOTALL).matcher(html);
        assertTrue(m.find());
        JsonNode data = new ObjectMapper().readTree(m.group(1));
        assertEquals(HOSTILE, data.at("/labels/0/label").asText());
        assertEquals(60, data.at("/flow/stage1").asLong());
        assertEquals(0, data.at("/flow/other").asLong());
        // the uncertified target saves nothing
        assertEquals(0.0, data.at("/cost/perTarget/1/savedPerDay").asDouble());
        assertEquals(100000 * 0.6 * 0.002, data.at("/cost/perTarget/0/savedPerDay").asDouble(), 1e-9);
        assertFalse(m.group(1).contains("NaN"));
    }

    /** What is certified is "agreement at least the target"; the bound is a per-threshold figure. */
    @Test
    void theHeaderSaysWhatIsCertifiedAndTheBoundIsNotACertificate() {
        String html = HtmlReport.render(model("a", "b"));
        assertTrue(html.contains("Certified: agreement at least 0.900"), html.substring(0, 2000));
        assertTrue(html.contains("a per-threshold figure, not a certificate"));
        assertFalse(html.toLowerCase(java.util.Locale.ROOT).contains("certified lower bound"));
    }

    @Test
    void nothingDeployedSaysSo() {
        ReportModel m = model("a", "b");
        ReportModel none = new ReportModel("r1", 0.95, m.frontier(), m.slices(), List.of(), List.of(), m.cost(), null);
        String html = HtmlReport.render(none);
        assertTrue(html.contains("nothing deployed"));
        assertTrue(html.contains("below target"));
    }
}
