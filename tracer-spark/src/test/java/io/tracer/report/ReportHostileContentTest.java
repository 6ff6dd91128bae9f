package io.tracer.report;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report of traces whose inputs and label names are HTML and script, rendered in headless
 * Chromium with every chart's tooltip opened on every data point: no injected handler runs (each
 * would mark the page), and the hostile text shows as text in the page and in the tooltips. Part
 * of the bad-input catalogue (docs/reliability.md, case report-hostile-content).
 */
class ReportHostileContentTest {
    static final String MARK = "document.documentElement.setAttribute('data-pwned','%s')";
    static final String LABEL = "<img src=x onerror=\"" + String.format(MARK, "label") + "\">billing";
    static final String INPUT = "</script><script>" + String.format(MARK, "script") + "</script>"
            + "<img src=x onerror=\"" + String.format(MARK, "input") + "\"> refund";

    /** Opens every chart's tooltip on every point and copies what it shows into #tips, after the page's own scripts. */
    static final String OPEN_TOOLTIPS = """
            <script>
            window.addEventListener('load', function () {
              var tips = document.createElement('pre');
              tips.id = 'tips';
              document.body.appendChild(tips);
              document.querySelectorAll('[_echarts_instance_]').forEach(function (el) {
                var chart = echarts.getInstanceByDom(el);
                var option = chart.getOption();
                (option.series || []).forEach(function (s, si) {
                  var n = (s.data || []).length;
                  for (var i = 0; i < n; i++) {
                    chart.dispatchAction({ type: 'showTip', seriesIndex: si, dataIndex: i });
                    el.querySelectorAll('div').forEach(function (d) {
                      if (d.style && d.style.position === 'absolute' && d.innerHTML.indexOf('billing') >= 0) {
                        tips.appendChild(document.createTextNode('TIP[' + d.innerHTML + ']TEXT[' + d.textContent + ']\\n'));
                      }
                    });
                  }
                });
              });
              document.body.setAttribute('data-tooltips-opened', 'yes');
            });
            </script>
            """;

    @TempDir
    Path dir;

    @Test
    void hostileLabelsAndInputsShowAsTextAndRunNothingChartTooltipsIncluded() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        Assumptions.assumeTrue(chromium.isPresent(),
                "no chromium, chromium-browser or google-chrome on PATH: the rendering check is skipped");
        String html = HtmlReport.render(HtmlReportTest.model(LABEL, INPUT));
        int end = html.lastIndexOf("</body>");
        assertTrue(end > 0);
        Path page = dir.resolve("report.html");
        Files.writeString(page, html.substring(0, end) + OPEN_TOOLTIPS + html.substring(end), StandardCharsets.UTF_8);

        String dom = new HeadlessChromium(chromium.get(), dir.resolve("profile")).dumpDom(page);
        assertTrue(dom.contains("data-tooltips-opened=\"yes\""), "the page's scripts ran to the end");
        Matcher pwned = Pattern.compile("data-pwned=\"([a-z]+)\"").matcher(dom);
        assertFalse(pwned.find(), () -> "injected code ran: it marked the page '" + pwned.group(1) + "'");
        // Shown as text: the markup of the hostile strings appears escaped in the page, never as elements.
        assertTrue(dom.contains("&lt;img src=x onerror="), "the label's markup shows as text");
        assertTrue(dom.contains("&lt;/script&gt;&lt;script&gt;"), "the input's markup shows as text");
        // Outside script elements (the chart data is JSON inside one, where markup is inert text).
        String markup = Pattern.compile("<script[^>]*>.*?</script>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE)
                .matcher(dom).replaceAll("");
        Matcher img = Pattern.compile("<img[^>]*onerror[^>]*>", Pattern.CASE_INSENSITIVE).matcher(markup);
        assertFalse(img.find(), () -> "an img element from trace text is in the DOM: " + img.group());
        // Tooltips: at least the per-label chart's shows the label, as text.
        Matcher pre = Pattern.compile("<pre id=\"tips\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertTrue(pre.find(), "no #tips element");
        Matcher tips = Pattern.compile("TIP\\[(.*?)\\]TEXT\\[(.*?)\\]\n", Pattern.DOTALL).matcher(pre.group(1));
        int shown = 0;
        while (tips.find()) {
            shown++;
            String tooltipHtml = tips.group(1);
            // The dump escapes the text node once: a tooltip whose own HTML holds a real <img> element would
            // appear here as "&lt;img"; an escaped one as "&amp;lt;img".
            assertFalse(tooltipHtml.contains("&lt;img"), "a tooltip renders the label as markup: " + tooltipHtml);
            assertTrue(tips.group(2).contains("&lt;img src=x onerror="), "the tooltip shows the label as text: "
                    + tips.group(2));
        }
        assertTrue(shown > 0, "no tooltip showed the label:\n" + dom.substring(Math.max(0, dom.length() - 3000)));
    }
}
