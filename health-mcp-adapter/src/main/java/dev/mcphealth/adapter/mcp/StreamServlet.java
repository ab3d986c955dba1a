package dev.mcphealth.adapter.mcp;

import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import io.modelcontextprotocol.json.McpJsonMapper;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/stream}: the servers' status as server-sent events, for the dashboard (no polling): a
 * {@code servers} event at once ({@code GET /api/v1/servers}'s JSON), then one each second the board changed, a
 * comment line when it did not (which also tells a gone client). One thread reads the board once a second for every
 * stream; at most {@link #MAX_STREAMS} streams are held (a 503 beyond).
 */
final class StreamServlet extends HttpServlet {
    static final String PATH = "/api/v1/stream";
    static final int MAX_STREAMS = 64;
    private static final Logger LOG = LoggerFactory.getLogger(StreamServlet.class);
    private static final long serialVersionUID = 1L;

    private final transient ObserveMonitoringUseCase monitor;
    private final transient McpJsonMapper mapper;
    private final transient Set<AsyncContext> streams = ConcurrentHashMap.newKeySet();
    private final transient ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mcp-health-stream");
        t.setDaemon(true);
        return t;
    });
    private transient String last = "";

    StreamServlet(ObserveMonitoringUseCase monitor, McpJsonMapper mapper) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (streams.size() >= MAX_STREAMS) {
            byte[] body = ("{\"error\":\"too many event streams open (at most " + MAX_STREAMS + ")\"}")
                    .getBytes(StandardCharsets.UTF_8);
            response.setStatus(503);
            response.setHeader("Retry-After", "5");
            response.setContentType("application/json; charset=utf-8");
            response.getOutputStream().write(body);
            return;
        }
        response.setStatus(200);
        response.setContentType("text/event-stream; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        AsyncContext stream = request.startAsync();
        stream.setTimeout(0);
        stream.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                streams.remove(stream);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                streams.remove(stream);
            }

            @Override
            public void onError(AsyncEvent event) {
                streams.remove(stream);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        String first;
        try {
            first = "retry: 2000\n" + event(board());
        } catch (RuntimeException e) {
            LOG.warn("the event stream could not read the board: {}", dev.mcphealth.domain.model.Faults.describe(e));
            stream.complete();
            return;
        }
        if (send(stream, first)) {
            streams.add(stream);
        }
    }

    /** Once a second: the board to every stream if it changed, else a comment that keeps them open. */
    private void tick() {
        if (streams.isEmpty()) {
            return;
        }
        try {
            String json = board();
            String frame = json.equals(last) ? ": unchanged\n\n" : event(json);
            last = json;
            for (AsyncContext s : streams) {
                if (!send(s, frame)) {
                    streams.remove(s);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("the event stream's tick failed: {}", dev.mcphealth.domain.model.Faults.describe(e));
        }
    }

    private String board() {
        try {
            return mapper.writeValueAsString(ApiServlet.serversView(monitor.snapshot()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String event(String json) {
        return "event: servers\ndata: " + json + "\n\n";
    }

    /** Writes {@code frame}; false (and the stream ended) when the client is gone. */
    private static boolean send(AsyncContext stream, String frame) {
        try {
            var out = stream.getResponse().getOutputStream();
            out.write(frame.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException | IllegalStateException gone) {
            try {
                stream.complete();
            } catch (IllegalStateException done) {
                // already completed
            }
            return false;
        }
    }

    @Override
    public void destroy() {
        ticker.shutdownNow();
        for (AsyncContext s : streams) {
            try {
                s.complete();
            } catch (IllegalStateException done) {
                // already completed
            }
        }
        streams.clear();
    }
}
