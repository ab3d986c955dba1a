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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/stream}: the servers' status as server-sent events, for the dashboard (no polling): a
 * {@code servers} event at once ({@code GET /api/v1/servers}'s JSON), then one each second (the page marks itself
 * stale when they stop). One thread reads and encodes the board once a second for every stream; each stream's write
 * runs on the server's pool, and a stream whose last write has not finished skips the tick (a slow client delays only
 * itself, and ties up one thread at most). At most {@link #MAX_STREAMS} streams are held (a 503 beyond).
 */
final class StreamServlet extends HttpServlet {
    static final String PATH = "/api/v1/stream";
    static final int MAX_STREAMS = 16;
    private static final Logger LOG = LoggerFactory.getLogger(StreamServlet.class);
    private static final long serialVersionUID = 1L;

    private final transient ObserveMonitoringUseCase monitor;
    private final transient McpJsonMapper mapper;
    /** Each open stream, and whether a write to it is under way. */
    private final transient java.util.Map<AsyncContext, java.util.concurrent.atomic.AtomicBoolean> streams =
            new ConcurrentHashMap<>();
    private final transient ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mcp-health-stream");
        t.setDaemon(true);
        return t;
    });
    StreamServlet(ObserveMonitoringUseCase monitor, McpJsonMapper mapper) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    @Override
    public void init() {
        ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(200); // a stream's headers, and no stream: HEAD holds no slot
        response.setContentType("text/event-stream; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (streams.size() >= MAX_STREAMS) {
            byte[] body = ("{\"error\":\"too many event streams open (at most " + MAX_STREAMS + ")\"}")
                    .getBytes(StandardCharsets.UTF_8);
            response.setHeader("Retry-After", "5");
            Answers.write(response, 503, "application/json; charset=utf-8", body);
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
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean();
        synchronized (streams) {
            if (streams.size() >= MAX_STREAMS) { // another opened meanwhile
                stream.complete();
                return;
            }
            streams.put(stream, writing);
        }
        if (!send(stream, first)) {
            streams.remove(stream);
        }
    }

    /** Once a second: the board, encoded once, to every stream that is not still busy with the last one. */
    private void tick() {
        if (streams.isEmpty()) {
            return;
        }
        try {
            String frame = event(board());
            streams.forEach((s, writing) -> {
                if (!writing.compareAndSet(false, true)) {
                    return; // still writing the last one: this one is skipped
                }
                try {
                    s.start(() -> {
                        try {
                            if (!send(s, frame)) {
                                streams.remove(s);
                            }
                        } finally {
                            writing.set(false);
                        }
                    });
                } catch (IllegalStateException done) {
                    streams.remove(s);
                }
            });
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
        for (AsyncContext s : streams.keySet()) {
            try {
                s.complete();
            } catch (IllegalStateException done) {
                // already completed
            }
        }
        streams.clear();
    }
}
