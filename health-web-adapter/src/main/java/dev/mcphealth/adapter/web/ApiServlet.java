package dev.mcphealth.adapter.web;

import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.ReadFailuresUseCase;
import dev.mcphealth.application.port.in.ReadHistoryUseCase;
import dev.mcphealth.application.port.in.ReadToolStatsUseCase;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.history.HistoryReport;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import tools.jackson.databind.json.JsonMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read API, {@code GET /api/v1/...} (docs/api.md): the servers and their status, one server with its history,
 * the pools, the failure episodes, as JSON in the shapes the MCP tools use ({@link Views}). Versioned by its path: a
 * field is added within v1, never renamed or removed. Behind the same guard as {@code /mcp}. Bad input is a 400, an
 * unknown server or path a 404, the database away a 503, each with one {@code error} line.
 */
final class ApiServlet extends HttpServlet {
    static final String PATH = "/api/v1";
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    private static final long serialVersionUID = 1L;
    private static final Map<String, Duration> PERIODS = Map.of("1h", Duration.ofHours(1), "24h",
            Duration.ofHours(24), "7d", Duration.ofDays(7), "30d", Duration.ofDays(30));
    private static final int MAX_FAILURES = 1000;

    private final transient ObserveMonitoringUseCase monitor;
    private final transient ReadHistoryUseCase history;
    private final transient ReadFailuresUseCase failures;
    private final transient RecentEvents recent;
    private final transient Optional<ReadToolStatsUseCase> tools;
    private final transient dev.mcphealth.application.port.in.ReadClusterUseCase cluster;
    private final transient java.time.Clock clock;
    /** Whether a monitor runs here, or the board is the database's (see {@link #serversView}). */
    private final boolean live;
    /** Each period's uptime bars and when they were read: kept {@link #UPTIME_KEPT}, however many pages ask. */
    private final transient Map<Duration, Map.Entry<java.time.Instant, Object>> uptimes =
            new java.util.concurrent.ConcurrentHashMap<>();
    static final Duration UPTIME_KEPT = Duration.ofSeconds(10);
    private final transient JsonMapper mapper;

    ApiServlet(ObserveMonitoringUseCase monitor, ReadHistoryUseCase history, ReadFailuresUseCase failures,
               RecentEvents recent, Optional<ReadToolStatsUseCase> tools,
               dev.mcphealth.application.port.in.ReadClusterUseCase cluster, java.time.Clock clock, boolean live,
               JsonMapper mapper) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.live = live;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tools = Objects.requireNonNull(tools, "tools");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.history = Objects.requireNonNull(history, "history");
        this.failures = Objects.requireNonNull(failures, "failures");
        this.recent = Objects.requireNonNull(recent, "recent");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** A request the API refuses: its status and one line saying why. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object body;
        int status = 200;
        try {
            body = route(Optional.ofNullable(request.getPathInfo()).orElse("/"), request);
        } catch (Refused r) {
            status = r.status;
            body = Map.of("error", r.getMessage());
        } catch (StorageUnavailableException e) {
            LOG.warn("the read API could not read the database: {}", e.getMessage());
            status = 503;
            body = Map.of("error", "the database cannot be read now; the server's log says why");
        } catch (RuntimeException e) {
            LOG.warn("the read API failed: {}", dev.mcphealth.domain.model.Faults.describe(e));
            status = 500;
            body = Map.of("error", "the request could not be answered; the server's log says why");
        }
        byte[] json = (body instanceof Raw raw ? raw.json() : mapper.writeValueAsString(body))
                .getBytes(StandardCharsets.UTF_8);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        Answers.write(response, status, "application/json; charset=utf-8", json);
    }

    private Object route(String path, HttpServletRequest request) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        if (parts.isEmpty()) {
            return Obj.of().put("version", "v1").put("endpoints", List.of(PATH + "/servers",
                    PATH + "/servers/{name}?period=1h|24h|7d|30d", PATH + "/pools", StreamServlet.PATH,
                    PATH + "/failures?period=1h|24h|7d|30d&limit=N", PATH + "/events?server=NAME&limit=N",
                    PATH + "/tools?server_type=TYPE", PATH + "/uptime?period=1h|24h|7d|30d", PATH + "/cluster"))
                    .map();
        }
        String what = parts.get(0);
        if (what.equals("servers") && parts.size() == 1) {
            return serversView(monitor.snapshot(), live, clock);
        }
        if (what.equals("servers") && parts.size() == 2) {
            return server(parts.get(1), period(request.getParameter("period"), "24h"));
        }
        if (what.equals("pools") && parts.size() == 1) {
            return Obj.of().put("pools", pools(servers(monitor.snapshot()))).map();
        }
        if (what.equals("failures") && parts.size() == 1) {
            int limit = limit(request.getParameter("limit"));
            return Obj.of().put("failures", failures.read(new ReadFailuresUseCase.Query(
                    period(request.getParameter("period"), "24h"), limit)).stream().map(f -> ApiViews.failure(f).map())
                    .toList()).map();
        }
        if (what.equals("uptime") && parts.size() == 1) {
            return uptime(period(request.getParameter("period"), "24h"));
        }
        if (what.equals("tools") && parts.size() == 1) {
            return tools(Optional.ofNullable(request.getParameter("server_type")));
        }
        if (what.equals("cluster") && parts.size() == 1) {
            // null where monitors do not share the database (SQLite, or one monitor's own)
            return java.util.Collections.singletonMap("cluster", cluster.read().map(c -> ApiViews.cluster(c).map())
                    .orElse(null));
        }
        if (what.equals("events") && parts.size() == 1) {
            return events(Optional.ofNullable(request.getParameter("server")), limit(request.getParameter("limit")));
        }
        throw new Refused(404, "no such resource: " + PATH + Answers.printable(path, 80) + " (see " + PATH
                + ")");
    }

    /**
     * {@code GET /api/v1/servers}'s answer (and each event of the stream's): the servers and the monitor's row, and
     * {@code source}: {@code monitor} when a monitor runs here, {@code database} when it is what the database last
     * recorded ({@code mcp-health dashboard}), with {@code recordedSecondsAgo}: how long ago the monitor's row was.
     */
    static Map<String, Object> serversView(List<StatusSnapshot> board, boolean live, java.time.Clock clock) {
        Optional<StatusSnapshot> self = board.stream().filter(StatusSnapshot::isMonitor).findFirst();
        return Obj.of().put("source", live ? "monitor" : "database")
                // how old the database's board is, by this server's clock (a browser's may be off)
                .put("recordedSecondsAgo", live ? Optional.empty() : self.map(s -> Math.max(0,
                        Duration.between(s.updatedAt(), clock.instant()).toSeconds())))
                .put("servers", servers(board).stream().map(s -> ApiViews.snapshot(s).map()).toList())
                .put("monitor", self.map(s -> ApiViews.snapshot(s).map())).map();
    }

    private static List<StatusSnapshot> servers(List<StatusSnapshot> board) {
        return board.stream().filter(s -> !s.isMonitor()).toList();
    }

    private Object server(String name, Duration period) {
        StatusSnapshot s = servers(monitor.snapshot()).stream().filter(x -> x.server().value().equals(name))
                .findFirst().orElseThrow(() -> new Refused(404, "no server named '" + Answers.printable(name,
                        80) + "' is watched"));
        HistoryReport h = history.read(new ReadHistoryUseCase.Query(s.server(), period));
        return ApiViews.snapshot(s)
                .put("period", period.toString())
                .put("history", h.buckets().stream().map(b -> ApiViews.bucket(b).map()).toList())
                .put("alerts", h.alerts().stream().map(a -> ApiViews.alert(a).map()).toList())
                .put("failures", h.failures().stream().map(f -> ApiViews.failure(f).map()).toList()).map();
    }

    /**
     * Every server's uptime bars over the period (the overview's): equal bars of its stored history, each {@code
     * [probes, answered]}, or {@code [probes, answered, p50Ms, p99Ms]} when any answered, oldest first; read at most once per {@link #UPTIME_KEPT} (each server's history is a
     * database read).
     */
    private Object uptime(Duration period) {
        java.time.Instant now = clock.instant();
        Map.Entry<java.time.Instant, Object> kept = uptimes.get(period);
        if (kept != null && kept.getKey().plus(UPTIME_KEPT).isAfter(now)) {
            return kept.getValue();
        }
        Object read = readUptime(period);
        uptimes.put(period, Map.entry(now, read));
        return read;
    }

    private Object readUptime(Duration period) {
        int bars = UptimeBars.BARS.get(period);
        Map<String, Object> servers = new LinkedHashMap<>();
        for (StatusSnapshot s : servers(monitor.snapshot())) {
            servers.put(s.server().value(), UptimeBars.of(history.read(new ReadHistoryUseCase.Query(s.server(),
                    period)), bars).stream().map(b -> b.p50Ms().isEmpty() ? List.<Object>of(b.probes(), b.answered())
                    : List.<Object>of(b.probes(), b.answered(), Obj.round(b.p50Ms().get(), 3),
                    Obj.round(b.p99Ms().orElseThrow(), 3))).toList());
        }
        return Obj.of().put("period", period.toString()).put("bars", bars).put("servers", servers).map();
    }

    /**
     * The tools called through the gateway in the last one to two minutes, of one server type when given: {@code
     * gateway} false (and no tools) when this server is not a gateway.
     */
    private Object tools(Optional<String> type) {
        Set<ServerType> of = Set.of();
        if (type.isPresent()) {
            if (servers(monitor.snapshot()).stream().noneMatch(s -> s.type().value().equals(type.get()))) {
                throw new Refused(404, "no server type '" + Answers.printable(type.get(), 80)
                        + "' is watched");
            }
            of = Set.of(new ServerType(type.get()));
        }
        Set<ServerType> asked = of;
        return Obj.of().put("gateway", tools.isPresent()).put("tools", tools.map(t -> t.toolStats(asked).stream()
                .map(f -> ApiViews.tool(f).map()).toList()).orElse(List.of())).map();
    }

    /** The monitor's last events (since this server started, at most {@link RecentEvents#KEPT}), oldest first. */
    private Object events(Optional<String> server, int limit) {
        if (server.isPresent() && servers(monitor.snapshot()).stream()
                .noneMatch(s -> s.server().value().equals(server.get()))) {
            throw new Refused(404, "no server named '" + Answers.printable(server.get(), 80) + "' is watched");
        }
        // each event's own line, as docs/events.md gives it (its nulls kept)
        long last = recent.last();
        return new Raw("{\"kept\":" + RecentEvents.KEPT + ",\"last\":" + last + ",\"events\":[" + String.join(",",
                recent.last(server, limit).stream().filter(e -> e.seq() <= last).map(RecentEvents.Entry::json)
                        .toList()) + "]}");
    }

    /** An answer already in JSON. */
    private record Raw(String json) {
    }

    private static List<Object> pools(List<StatusSnapshot> servers) {
        Map<String, List<StatusSnapshot>> byType = new TreeMap<>();
        servers.forEach(s -> byType.computeIfAbsent(s.type().value(), t -> new ArrayList<>()).add(s));
        List<Object> out = new ArrayList<>();
        byType.forEach((type, members) -> {
            Map<String, Long> statuses = new LinkedHashMap<>();
            for (HealthStatus h : HealthStatus.values()) {
                statuses.put(h.code(), members.stream().filter(m -> m.status().equals(Optional.of(h))).count());
            }
            statuses.put("unknown", members.stream().filter(m -> m.status().isEmpty()).count());
            out.add(Obj.of().put("serverType", type).put("instances", members.size())
                    .put("up", members.stream().filter(m -> m.status().filter(h -> h == HealthStatus.HEALTHY
                            || h == HealthStatus.WARNING).isPresent()).count())
                    .put("statuses", statuses)
                    .put("servers", members.stream().map(m -> m.server().value()).toList()).map());
        });
        return out;
    }

    private static Duration period(String given, String otherwise) {
        String p = given == null ? otherwise : given;
        Duration d = PERIODS.get(p);
        if (d == null) {
            throw new Refused(400, "period must be one of 1h, 24h, 7d, 30d; got '" + Answers.printable(p, 40)
                    + "'");
        }
        return d;
    }

    private static int limit(String given) {
        if (given == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(given.trim());
            if (n >= 1 && n <= MAX_FAILURES) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // said below
        }
        throw new Refused(400, "limit must be a whole number from 1 to " + MAX_FAILURES + "; got '"
                + Answers.printable(given, 40) + "'");
    }
}
