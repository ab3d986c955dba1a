package dev.mcphealth.adapter.web;

import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import tools.jackson.databind.json.JsonMapper;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/stream}: the servers' status and the monitor's events as server-sent events, for the dashboard
 * (no polling): a {@code servers} event at once ({@code GET /api/v1/servers}'s JSON), then one each second (the page
 * marks itself stale when they stop), and a {@code monitor} event for each of the monitor's events as it happens (its
 * JSON line, docs/events.md, with its number as the SSE {@code id}: a page reconnecting with {@code Last-Event-ID}
 * gets the ones it missed that are still kept, the newest {@code MAX_WAITING / 2} of them), with the servers sent again at once after a status change. One thread reads and encodes
 * the board once a second for every stream; each stream's writes run on the server's pool, one at a time and in
 * order: a board not yet written is replaced by the newer one (a slow page skips boards, never events), and a stream
 * with more than {@link #MAX_WAITING} events waiting is ended (its page reconnects and reads the board afresh). At most
 * {@link #MAX_STREAMS} streams are held (a 503 beyond).
 */
final class StreamServlet extends HttpServlet {
    static final String PATH = "/api/v1/stream";
    static final int MAX_STREAMS = 16;
    static final int MAX_WAITING = 256;
    private static final Logger LOG = LoggerFactory.getLogger(StreamServlet.class);
    private static final long serialVersionUID = 1L;

    private final transient ObserveMonitoringUseCase monitor;
    private final transient RecentEvents recent;
    private final boolean live;
    private final transient java.time.Clock clock;
    private final transient JsonMapper mapper;
    /** Whether a tick for a status change is already waiting (a burst of changes gets one). */
    private final transient java.util.concurrent.atomic.AtomicBoolean tickQueued =
            new java.util.concurrent.atomic.AtomicBoolean();
    /** Each open stream and what waits to be written to it. */
    private final transient java.util.Map<AsyncContext, Outlet> streams = new ConcurrentHashMap<>();
    private final transient ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mcp-health-stream");
        t.setDaemon(true);
        return t;
    });

    /** One stream's frames in waiting: the newest board, and the events in order. */
    private final class Outlet {
        final AsyncContext context;
        final java.util.concurrent.atomic.AtomicReference<String> board = new java.util.concurrent.atomic.AtomicReference<>();
        final java.util.concurrent.ConcurrentLinkedQueue<String> events = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean();

        Outlet(AsyncContext context) {
            this.context = context;
        }

        void board(String frame) {
            board.set(frame);
            drain();
        }

        void event(String frame) {
            if (waiting.incrementAndGet() > MAX_WAITING) {
                end(); // too slow a reader: it reconnects and starts from the board
                return;
            }
            events.add(frame);
            drain();
        }

        /** Writes what waits, on the server's pool, unless a write is already under way (it writes this too). */
        void drain() {
            if (!writing.compareAndSet(false, true)) {
                return;
            }
            try {
                context.start(() -> {
                    try {
                        if (!writeWaiting()) {
                            return;
                        }
                    } finally {
                        writing.set(false);
                    }
                    if (board.get() != null || !events.isEmpty()) {
                        drain(); // came while the last write was finishing
                    }
                });
            } catch (RuntimeException done) { // completed meanwhile (Jetty may say so with an NPE)
                writing.set(false);
                streams.remove(context);
            }
        }

        private boolean writeWaiting() {
            // the board first, then the events after it: an event applies on top of an older board
            StringBuilder frames = new StringBuilder();
            String b = board.getAndSet(null);
            if (b != null) {
                frames.append(b);
            }
            for (String e = events.poll(); e != null; e = events.poll()) {
                waiting.decrementAndGet();
                frames.append(e);
            }
            if (frames.length() > 0 && !send(context, frames.toString())) {
                streams.remove(context);
                return false;
            }
            return true;
        }

        void end() {
            streams.remove(context);
            try {
                context.complete();
            } catch (IllegalStateException done) {
                // already completed
            }
        }
    }

    StreamServlet(ObserveMonitoringUseCase monitor, RecentEvents recent, boolean live, java.time.Clock clock,
                  JsonMapper mapper) {
        this.live = live;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.recent = Objects.requireNonNull(recent, "recent");
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
            first = "retry: 2000\n" + boardFrame();
        } catch (RuntimeException e) {
            LOG.warn("the event stream could not read the board: {}", dev.mcphealth.domain.model.Faults.describe(e));
            stream.complete();
            return;
        }
        // a page reconnecting says the last event it had: it gets the ones it missed that are still kept
        long lastSeen = lastEventId(request.getHeader("Last-Event-ID"));
        Outlet outlet = new Outlet(stream);
        outlet.board.set(first);
        if (lastSeen >= 0) {
            // the newest of them, within what a stream may hold waiting (more would end it, and the page would come
            // back asking for the same again)
            List<RecentEvents.Entry> missed = recent.after(lastSeen);
            missed.subList(Math.max(0, missed.size() - MAX_WAITING / 2), missed.size())
                    .forEach(e -> outlet.event(monitorFrame(e.seq(), e.json())));
        }
        synchronized (streams) {
            if (streams.size() >= MAX_STREAMS) { // another opened meanwhile
                stream.complete();
                return;
            }
            streams.put(stream, outlet);
        }
        outlet.drain();
    }

    /**
     * One of the monitor's events, as its JSON line and number ({@link RecentEvents}): a {@code monitor} event (its
     * {@code id} the number, so a page that reconnects gets what it missed) to every stream at once; after a status
     * change, the board too (the page shows it without waiting for the next second). Never throws: it runs on the
     * monitor's event thread.
     */
    void publish(long seq, String json, boolean statusChanged) {
        try {
            if (streams.isEmpty()) {
                return;
            }
            String frame = monitorFrame(seq, json);
            streams.values().forEach(o -> o.event(frame));
            if (statusChanged && tickQueued.compareAndSet(false, true)) {
                ticker.execute(() -> {
                    tickQueued.set(false);
                    tick();
                });
            }
        } catch (RuntimeException e) {
            // a stream ending meanwhile, the server stopping: the pages catch up on reconnecting
            LOG.debug("an event was not pushed: {}", dev.mcphealth.domain.model.Faults.describe(e));
        }
    }

    private static String monitorFrame(long seq, String json) {
        return "id: " + seq + "\nevent: monitor\ndata: " + json + "\n\n";
    }

    /** Once a second (and after a status change): the board, encoded once, for every stream. */
    private void tick() {
        if (streams.isEmpty()) {
            return;
        }
        try {
            String frame = boardFrame();
            streams.values().forEach(o -> o.board(frame));
        } catch (RuntimeException e) {
            LOG.warn("the event stream's tick failed: {}", dev.mcphealth.domain.model.Faults.describe(e));
        }
    }

    private String boardFrame() {
        return "event: servers\ndata: " + mapper.writeValueAsString(ApiServlet.serversView(monitor.snapshot(), live, clock))
                + "\n\n";
    }

    /** The number a reconnecting page sent, or -1 (none, or not a number). */
    private static long lastEventId(String header) {
        if (header == null || header.isBlank() || header.length() > 19) {
            return -1;
        }
        try {
            return Math.max(-1, Long.parseLong(header.trim()));
        } catch (NumberFormatException notOurs) {
            return -1;
        }
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
