package dev.mcphealth.adapter.web;

import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.ReadHistoryUseCase;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.history.HistoryBucket;
import dev.mcphealth.domain.history.HistoryReport;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.StatusSnapshot;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Badges for READMEs and wikis, in the flat style of shields.io and Gatus: {@code GET /badge/{server}/status.svg}
 * (its status, coloured) and {@code GET /badge/{server}/uptime.svg?period=24h|7d|30d} (the share of its probes
 * answered over the period, from the stored history). Behind the same guard as {@code /mcp}. An unknown server or a
 * bad period is a grey badge saying so, with a 404 or 400 (an image tag shows it either way).
 */
final class BadgeServlet extends HttpServlet {
    static final String PATH = "/badge";
    private static final long serialVersionUID = 1L;
    private static final Map<String, Duration> PERIODS = Map.of("24h", Duration.ofHours(24), "7d", Duration.ofDays(7),
            "30d", Duration.ofDays(30));
    private static final String GREEN = "#2e7d32";
    private static final String YELLOW = "#a86b00";
    private static final String RED = "#c62828";
    private static final String GREY = "#616161";

    private final transient ObserveMonitoringUseCase monitor;
    private final transient ReadHistoryUseCase history;

    BadgeServlet(ObserveMonitoringUseCase monitor, ReadHistoryUseCase history) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.history = Objects.requireNonNull(history, "history");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = Optional.ofNullable(request.getPathInfo()).orElse("/");
        String[] parts = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[0];
        int status = 200;
        String svg;
        if (parts.length != 2 || !(parts[1].equals("status.svg") || parts[1].equals("uptime.svg"))) {
            status = 404;
            svg = svg("badge", "use /badge/{server}/status.svg or uptime.svg", GREY);
        } else {
            Optional<StatusSnapshot> s = monitor.snapshot().stream()
                    .filter(x -> x.server().value().equals(parts[0]) && !x.isMonitor())
                    .findFirst();
            if (s.isEmpty()) {
                status = 404;
                svg = svg(parts[0], "not watched", GREY);
            } else if (parts[1].equals("status.svg")) {
                svg = status(s.get());
            } else {
                String p = Optional.ofNullable(request.getParameter("period")).orElse("24h");
                Duration period = PERIODS.get(p);
                if (period == null) {
                    status = 400;
                    svg = svg("uptime", "period: 24h, 7d or 30d", GREY);
                } else {
                    try {
                        svg = uptime(s.get(), p, history.read(new ReadHistoryUseCase.Query(s.get().server(), period)));
                    } catch (StorageUnavailableException e) {
                        status = 503;
                        svg = svg("uptime " + p, "unavailable", GREY);
                    }
                }
            }
        }
        byte[] body = svg.getBytes(StandardCharsets.UTF_8);
        response.setHeader("Cache-Control", "no-cache, max-age=0");
        response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        Answers.write(response, status, "image/svg+xml; charset=utf-8", body);
    }

    private static String status(StatusSnapshot s) {
        String label = s.server().value();
        if (s.status().isEmpty()) {
            return svg(label, "not probed yet", GREY);
        }
        HealthStatus h = s.status().get();
        String color = switch (h) {
            case HEALTHY -> GREEN;
            case WARNING -> YELLOW;
            case CRITICAL, OFFLINE -> RED;
        };
        return svg(label, h.code(), color);
    }

    /** The share of the period's probes answered; "no data" before any. */
    static String uptime(StatusSnapshot s, String period, HistoryReport h) {
        long probes = 0;
        long answered = 0;
        for (HistoryBucket b : h.buckets()) {
            probes += b.probes();
            answered += b.answered();
        }
        String label = "uptime " + period;
        if (probes == 0) {
            return svg(label, "no data", GREY);
        }
        double share = (double) answered / probes;
        String value = share == 1 ? "100%" : String.format(Locale.ROOT, "%.2f%%", Math.floor(share * 10000) / 100);
        return svg(label, value, share >= 0.999 ? GREEN : share >= 0.99 ? YELLOW : RED);
    }

    /** A flat two-part badge: {@code label} on grey, {@code value} on {@code color}; text escaped, width estimated. */
    static String svg(String label, String value, String color) {
        String l = Answers.printable(label, 40);
        String v = Answers.printable(value, 60);
        int lw = width(l);
        int vw = width(v);
        int w = lw + vw;
        String lm = Answers.markup(l);
        String vm = Answers.markup(v);
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"20\" role=\"img\" aria-label=\""
                + lm + ": " + vm + "\"><title>" + lm + ": " + vm + "</title>"
                + "<rect width=\"" + lw + "\" height=\"20\" fill=\"#555\"/>"
                + "<rect x=\"" + lw + "\" width=\"" + vw + "\" height=\"20\" fill=\"" + color + "\"/>"
                + "<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,DejaVu Sans,sans-serif\""
                + " font-size=\"11\">"
                + "<text x=\"" + lw / 2.0 + "\" y=\"14\">" + lm + "</text>"
                + "<text x=\"" + (lw + vw / 2.0) + "\" y=\"14\">" + vm + "</text></g></svg>";
    }

    /** About 7 px a character of 11 px Verdana, and a margin. */
    private static int width(String text) {
        return 10 + 7 * text.codePointCount(0, text.length());
    }
}
