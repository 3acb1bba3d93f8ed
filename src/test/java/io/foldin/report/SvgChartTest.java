package io.foldin.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SvgChartTest {
    @Test
    void escapesTextAndDropsCharactersXmlForbids() {
        assertEquals("a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;", Html.escape("a <b> & \"c\" 'd'"));
        assertEquals("xy\u00e9\uD83C\uDFAC", Html.escape("x\u0001y\u00e9\uD83C\uDFAC\uDC00"));
        assertEquals("", Html.escape(null));
    }

    /** A chart is well-formed XML (a real parser reads it) with axes, ticks, labels and one element per datum. */
    @Test
    void aChartHasAxesTicksLabelsAndItsData() throws Exception {
        String svg = new SvgChart("Title <&>", "x \"axis\"", "y axis")
                .points("pts", new double[] {1, 2, 3}, new double[] {4, 5, 6}, new String[] {"a<b", "c", "d"}, 2)
                .line("line", new double[] {1, 3}, new double[] {4, 6})
                .histogram("h", new double[] {0, 1, 2}, new double[] {3, 7}).render(400, 300);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals(2, count(svg, "class=\"axis\""));
        assertEquals(2, count(svg, "class=\"axis-label\""));
        assertTrue(count(svg, "class=\"tick\"") >= 6);
        assertEquals(3 + 1 + 2, count(svg, "class=\"data\""));
        assertTrue(svg.contains("Title &lt;&amp;&gt;"));
        assertTrue(svg.contains("<title>a&lt;b</title>"));
        assertFalse(svg.contains("Title <&>"));
    }

    @Test
    void logAxesTickAtDecadesAndLeaveOutNonPositiveValues() {
        Axis a = Axis.of(SvgChart.Scale.LOG, new double[] {3, 4500}, false);
        assertArrayEquals(new double[] {1, 10, 100, 1000, 10000}, a.ticks(), 1e-9);
        assertEquals(0.5, a.frac(100), 1e-12);
        assertEquals("1,000", a.label(1000));
        String svg = new SvgChart("t", "x", "y").scales(SvgChart.Scale.LOG, SvgChart.Scale.LOG)
                .points("p", new double[] {0, 1, 10}, new double[] {5, 5, 5}).render(300, 200);
        assertEquals(2, count(svg, "<circle"));
    }

    @Test
    void linearTicksAreRoundNumbersCoveringTheData() {
        Axis a = Axis.of(SvgChart.Scale.LINEAR, new double[] {0.13, 0.87}, false);
        // (0.87 − 0.13) / 6 ≈ 0.123 rounds up to 0.2
        assertEquals(0.2, a.step(), 1e-12);
        assertEquals(0.0, a.lo(), 1e-12);
        assertEquals(1.0, a.hi(), 1e-12);
        assertEquals(6, a.ticks().length);
        assertEquals("0.6", a.label(a.ticks()[3]));
        assertEquals(2.0, Axis.niceStep(1.3), 1e-12);
        assertEquals(50.0, Axis.niceStep(21), 1e-12);
    }

    static int count(String s, String what) {
        int n = 0;
        for (int k = s.indexOf(what); k >= 0; k = s.indexOf(what, k + 1)) {
            n++;
        }
        return n;
    }
}
