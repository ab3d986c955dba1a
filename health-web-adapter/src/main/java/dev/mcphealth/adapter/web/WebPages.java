package dev.mcphealth.adapter.web;

import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.ReadClusterUseCase;
import dev.mcphealth.application.port.in.ReadFailuresUseCase;
import dev.mcphealth.application.port.in.ReadHistoryUseCase;
import dev.mcphealth.application.port.in.ReadToolStatsUseCase;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The read side over HTTP, mounted on a servlet context: the dashboard's pages ({@code /}, {@code /server},
 * {@code /failures}, {@code /events} and their assets), the read API ({@code /api/v1/...}), the event stream
 * ({@code /api/v1/stream}), badges ({@code /badge/...}) and {@code /metrics} when given. The context's guard
 * ({@link WebGuard}) keeps them; {@link #publish} pushes each of the monitor's events to the open pages.
 */
public final class WebPages {
    /** Where the monitor's Prometheus metrics are served. */
    public static final String METRICS = "/metrics";

    /** Where {@code GET /metrics} reads the monitor's metrics (docs/metrics.md). */
    @FunctionalInterface
    public interface Metrics {
        /** The metrics now, in the format {@code accept} (an HTTP Accept header, or null) asks for. */
        Page scrape(String accept);

        /** A scrape's answer: its content type and body. */
        record Page(String contentType, byte[] body) {
            public Page {
                Objects.requireNonNull(contentType, "contentType");
                Objects.requireNonNull(body, "body");
            }
        }
    }

    /**
     * What the pages read: the monitor's board, the stored history and failures, the gateway's tool figures (in
     * gateway mode), the monitor's recent events (kept by {@link #publish}; the caller may add the ones from before
     * the pages were up), the metrics (when served), the clock (how long an answer is kept), and whether a monitor runs
     * here ({@code live}) or the board is what the database last recorded ({@code mcp-health dashboard}: the pages
     * say so, and how old it is), and the monitors sharing the database, if they do (docs/cluster.md).
     */
    public record Sources(ObserveMonitoringUseCase monitor, ReadHistoryUseCase history, ReadFailuresUseCase failures,
                          Optional<ReadToolStatsUseCase> tools, RecentEvents events, Optional<Metrics> metrics,
                          java.time.Clock clock, boolean live, ReadClusterUseCase cluster) {
        /** Where no monitors share the database (SQLite, or none asked). */
        public Sources(ObserveMonitoringUseCase monitor, ReadHistoryUseCase history, ReadFailuresUseCase failures,
                       Optional<ReadToolStatsUseCase> tools, RecentEvents events, Optional<Metrics> metrics,
                       java.time.Clock clock, boolean live) {
            this(monitor, history, failures, tools, events, metrics, clock, live, Optional::empty);
        }

        public Sources {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(monitor, "monitor");
            Objects.requireNonNull(history, "history");
            Objects.requireNonNull(failures, "failures");
            Objects.requireNonNull(tools, "tools");
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(metrics, "metrics");
        }
    }

    private final StreamServlet streams;
    private final RecentEvents events;

    private WebPages(StreamServlet streams, RecentEvents events) {
        this.streams = streams;
        this.events = events;
    }

    /** Mounts the pages on {@code context} (before it starts); the context's own servlets keep their paths. */
    public static WebPages mount(ServletContextHandler context, Sources sources) {
        JsonMapper mapper = JsonMapper.builder().build();
        sources.metrics().ifPresent(m -> context.addServlet(new ServletHolder(new MetricsServlet(m)), METRICS));
        context.addServlet(new ServletHolder(new ApiServlet(sources.monitor(), sources.history(), sources.failures(),
                sources.events(), sources.tools(), sources.cluster(), sources.clock(), sources.live(), mapper)),
                ApiServlet.PATH + "/*");
        context.addServlet(new ServletHolder(new BadgeServlet(sources.monitor(), sources.history())),
                BadgeServlet.PATH + "/*");
        StreamServlet streams = new StreamServlet(sources.monitor(), sources.events(), sources.live(),
                sources.clock(), mapper);
        ServletHolder stream = new ServletHolder(streams);
        stream.setAsyncSupported(true);
        context.addServlet(stream, StreamServlet.PATH);
        context.addServlet(new ServletHolder(new DashboardServlet()), "/");
        return new WebPages(streams, sources.events());
    }

    /**
     * One of the monitor's events, as its JSON line (docs/events.md): kept for {@code /api/v1/events} and pushed to
     * the open pages at once; after a status change the board follows at once too. Never throws (it runs on the
     * monitor's event thread).
     */
    public void publish(dev.mcphealth.domain.model.MonitorEvent event, String json) {
        long seq = events.add(event, json);
        streams.publish(seq, json, event instanceof dev.mcphealth.domain.model.MonitorEvent.StatusChanged);
    }
}
