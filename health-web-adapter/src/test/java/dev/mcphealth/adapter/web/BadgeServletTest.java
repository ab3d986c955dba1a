package dev.mcphealth.adapter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BadgeServletTest {
    @Test
    void textIsEscapedSoANameCannotInjectMarkup() {
        String svg = BadgeServlet.svg("a<script>&\"x'", "healthy", "#2e7d32");
        assertTrue(svg.contains("a&lt;script&gt;&amp;&quot;x&apos;"), svg);
        assertTrue(!svg.contains("<script>"), svg);
    }

    @Test
    void theBadgeIsAsWideAsItsTwoParts() {
        String svg = BadgeServlet.svg("uptime 24h", "99.95%", "#2e7d32");
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + (10 + 70 + 10 + 42) + "\""),
                svg);
        assertEquals(2, svg.split("<text ").length - 1);
    }
}
