package dev.mcphealth.adapter.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The whole answer of one of the pages' servlets (API, badges, dashboard, metrics), written at once. */
final class Answers {
    private Answers() {
    }

    /**
     * Writes {@code body} as {@code status} of {@code type}, with its length and {@code nosniff}; headers of the
     * answer's own are set before.
     */
    /** {@code text} cut to {@code max} characters and escaped to one printable line (what a client sent, shown). */
    static String printable(String text, int max) {
        return dev.mcphealth.domain.model.Printable.escape(text.length() > max ? text.substring(0, max) + "…" : text);
    }

    /** {@code s} as text inside markup (HTML, SVG), in an element or a quoted attribute. */
    static String markup(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }

    static void write(HttpServletResponse response, int status, String type, byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType(type);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
