package dev.mcphealth.adapter.mcp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The dashboard's overview page and its two assets, served from the jar (no CDN): {@code /}, {@code /app.js},
 * {@code /app.css}. Anything else under {@code /} is a 404. A strict Content-Security-Policy: the page loads only its
 * own assets and talks only to this server.
 */
final class DashboardServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Map<String, String[]> ASSETS = Map.of(
            "/", new String[] {"dashboard/index.html", "text/html; charset=utf-8"},
            "/app.js", new String[] {"dashboard/app.js", "text/javascript; charset=utf-8"},
            "/app.css", new String[] {"dashboard/app.css", "text/css; charset=utf-8"});
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
