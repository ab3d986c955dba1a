package dev.mcphealth.adapter.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The dashboard's pages and their assets, served from the jar (no CDN): the overview {@code /}, a server's page
 * {@code /server?name=...}, {@code /failures} and {@code /events}, their scripts and styles, and uPlot (the webjar
 * {@code org.webjars.npm:uplot}) for the charts. Anything else under {@code /} is a 404. A strict
 * Content-Security-Policy: a page loads only these assets and talks only to this server.
 */
final class DashboardServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The uPlot webjar's version (the pom's {@code org.webjars.npm:uplot}). */
    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";
    private static final Map<String, String[]> ASSETS = Map.ofEntries(
            Map.entry("/", new String[] {"dashboard/index.html", HTML}),
            Map.entry("/server", new String[] {"dashboard/server.html", HTML}),
            Map.entry("/failures", new String[] {"dashboard/failures.html", HTML}),
            Map.entry("/events", new String[] {"dashboard/events.html", HTML}),
            Map.entry("/common.js", new String[] {"dashboard/common.js", JS}),
            Map.entry("/app.js", new String[] {"dashboard/app.js", JS}),
            Map.entry("/server.js", new String[] {"dashboard/server.js", JS}),
            Map.entry("/failures.js", new String[] {"dashboard/failures.js", JS}),
            Map.entry("/events.js", new String[] {"dashboard/events.js", JS}),
            Map.entry("/app.css", new String[] {"dashboard/app.css", CSS}),
            Map.entry("/uplot.min.js", new String[] {UPLOT + "uPlot.iife.min.js", JS}),
            Map.entry("/uplot.min.css", new String[] {UPLOT + "uPlot.min.css", CSS}));
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final transient Map<String, byte[]> bodies;

    DashboardServlet() {
        java.util.HashMap<String, byte[]> read = new java.util.HashMap<>();
        ASSETS.forEach((path, asset) -> read.put(path, resource(asset[0])));
        this.bodies = Map.copyOf(read);
    }

    private static byte[] resource(String name) {
        try (InputStream in = DashboardServlet.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        String[] asset = ASSETS.get(path);
        if (asset == null) {
            Answers.write(response, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-cache");
        Answers.write(response, 200, asset[1], bodies.get(path));
    }
}
