package dev.mcphealth.adapter.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: the monitor's metrics for Prometheus (docs/metrics.md), in the format the scraper's
 * {@code Accept} asks for. Behind the same guard as {@code /mcp} (Host, Origin, the bearer token). A scrape that
 * fails is a 500 with one line, its cause logged without the trace.
 */
final class MetricsServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServlet.class);
    private static final long serialVersionUID = 1L;

    private final transient WebPages.Metrics metrics;

    MetricsServlet(WebPages.Metrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        WebPages.Metrics.Page page;
        try {
            page = metrics.scrape(request.getHeader("Accept"));
        } catch (RuntimeException e) {
            LOG.warn("the metrics could not be read: {}", dev.mcphealth.domain.model.Faults.describe(e));
            Answers.write(response, 500, "text/plain; charset=utf-8",
                    "the metrics could not be read; the server's log says why\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Answers.write(response, 200, page.contentType(), page.body());
    }
}
