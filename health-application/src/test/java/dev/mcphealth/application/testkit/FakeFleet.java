package dev.mcphealth.application.testkit;

import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.SessionPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.Handshake;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeMethod;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerInfo;
import dev.mcphealth.domain.model.ToolReply;
import dev.mcphealth.domain.model.UpstreamRequest;
import dev.mcphealth.domain.model.ToolSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test double for the MCP client side ({@link ProbePort}, {@link SessionPort}, {@link ToolCallPort}): a fleet of
 * simulated servers on a {@link TestClock}. Each server is
 * <ul>
 *   <li>up: a session can be opened (by {@link #reopen}, or by a probe or call allowed to connect);</li>
 *   <li>down ({@link #kill}): its process is dead, its session is lost (reported to the
 *       {@link SessionLossListener}s at once) and opening one fails with connection_error;</li>
 *   <li>crashing after reopen ({@link #crashAfterReopen}): it dies now, and every session opened later dies
 *       {@code lifetime} after it opened, reported when the test {@link #advance}s the clock past that moment;</li>
 *   <li>partitioned ({@link #partition}): an HTTP server that cannot be reached for a while; its session breaks at
 *       once and opening one fails until the partition ends.</li>
 * </ul>
 * It counts reopens (and every session start) per server and records every request it was sent. Requests take
 * {@link #ANSWER_TIME}, or what {@link #failNextCall} scripts; a call that has to connect first takes 50 ms when the
 * start is refused and the whole connect timeout when the host is partitioned. The clock does not move during a
 * request: {@link #busy()} sums the time the tool calls took, so a test can tell that no call hung. Not thread-safe beyond what the single-threaded simulations need.
 */
public final class FakeFleet implements ProbePort, SessionPort, ToolCallPort {
    public static final Duration ANSWER_TIME = Duration.ofMillis(10);

    /** One request the fleet was sent: to whom, what, when, and whether it reached a live session. */
    public record Request(ServerId server, String what, Instant at, boolean delivered) {
    }

    private enum Mode { UP, DOWN, CRASHING }

    private static final class Sim {
        final MonitoredServer server;
        Mode mode = Mode.UP;
        Duration lifetime = Duration.ZERO;
        boolean open;
        Optional<Instant> diesAt = Optional.empty();
        Instant unreachableUntil = Instant.MIN;
        public final List<Instant> reopens = new ArrayList<>();
        public int starts;
        final Deque<CallOutcome.Failed> scripted = new ArrayDeque<>();
        Optional<FailureType> probeFailure = Optional.empty();
        List<ToolSpec> tools = List.of(new ToolSpec("search", "finds things", "{\"type\":\"object\"}"));
        Duration answerTime = ANSWER_TIME;

        Sim(MonitoredServer server) {
            this.server = server;
        }
    }

    private final TestClock clock;
    private final Map<ServerId, Sim> sims = new LinkedHashMap<>();
    private final List<SessionLossListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private Duration busy = Duration.ZERO;

    public FakeFleet(TestClock clock, List<MonitoredServer> servers) {
        this.clock = clock;
        servers.forEach(s -> sims.put(s.id(), new Sim(s)));
    }

    // ---- what the test does to the fleet --------------------------------------------------------------------

    /** Moves the test clock on, and reports every session that died in the meantime. */
    public void advance(Duration d) {
        clock.advance(d);
        Instant now = clock.instant();
        for (Sim s : sims.values()) {
            if (s.open && s.diesAt.filter(t -> !now.isBefore(t)).isPresent()) {
                lose(s, "the process exited " + s.lifetime.toSeconds() + " s after it started");
            }
        }
    }

    /** Opens sessions to the servers, as a first probe would (not counted as reopens). */
    public FakeFleet connected(String... servers) {
        for (String server : servers) {
            connect(sim(server));
        }
        return this;
    }

    /** The process dies now and stays dead: reopening fails until {@link #revive}. */
    public FakeFleet kill(String server) {
        Sim s = sim(server);
        s.mode = Mode.DOWN;
        if (s.open) {
            lose(s, "the process exited (SIGKILL)");
        }
        return this;
    }

    /** The server can be started again (a session is open only once someone opens one). */
    public FakeFleet revive(String server) {
        sim(server).mode = Mode.UP;
        return this;
    }

    /** The server dies now, and every session opened from now on dies {@code lifetime} after it was opened. */
    public FakeFleet crashAfterReopen(String server, Duration lifetime) {
        Sim s = sim(server);
        s.mode = Mode.CRASHING;
        s.lifetime = lifetime;
        if (s.open) {
            lose(s, "the process exited");
        }
        return this;
    }

    /** The server cannot be reached for {@code d} from now: its session breaks now, connecting fails until then. */
    public FakeFleet partition(String server, Duration d) {
        Sim s = sim(server);
        s.unreachableUntil = clock.instant().plus(d);
        if (s.open) {
            lose(s, "the event stream broke: no route to host");
        }
        return this;
    }

    /** Probes of the server fail with {@code type} though its session is up (a 401, a 500), or answer again (empty). */
    public FakeFleet failProbes(String server, Optional<FailureType> type) {
        sim(server).probeFailure = type;
        return this;
    }

    /** The server's tool calls take {@code d} from now on (a slower or faster instance). */
    /** The tools {@code server} lists from now on. */
    public FakeFleet tools(String server, ToolSpec... tools) {
        sim(server).tools = List.of(tools);
        return this;
    }

    public FakeFleet answerTime(String server, Duration d) {
        sim(server).answerTime = d;
        return this;
    }

    /** The next call to the server fails with {@code type}, having reached it or not. */
    public FakeFleet failNextCall(String server, FailureType type, boolean delivered) {
        sim(server).scripted.add(new CallOutcome.Failed(type, type.code() + " from the script", delivered,
                Duration.ofMillis(50)));
        return this;
    }

    // ---- what the test reads ----------------------------------------------------------------------------------

    public int reopens(String server) {
        return sim(server).reopens.size();
    }

    public List<Instant> reopenTimes(String server) {
        return List.copyOf(sim(server).reopens);
    }

    /** Every time a session was opened for the server: reopens that worked and connects by probes or calls. */
    public int starts(String server) {
        return sim(server).starts;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Tool calls that reached a live session of the server. */
    public List<Request> deliveredCalls(String server) {
        return requests.stream().filter(r -> r.server().value().equals(server) && r.delivered()
                && r.what().startsWith("tools/call")).toList();
    }

    /** The simulated time every request took so far. */
    public Duration busy() {
        return busy;
    }

    public boolean anyOpen(String... servers) {
        for (String s : servers) {
            if (sim(s).open) {
                return true;
            }
        }
        return false;
    }

    // ---- SessionPort ----------------------------------------------------------------------------------------

    @Override
    public Optional<MonitorEvent.FailureSummary> reopen(MonitoredServer server) {
        Sim s = sims.get(server.id());
        s.reopens.add(clock.instant());
        s.open = false; // a deliberate close is not a loss
        s.diesAt = Optional.empty();
        return connect(s);
    }

    @Override
    public void close(ServerId server) {
        Sim s = sims.get(server);
        s.open = false; // a deliberate close is not a loss
        s.diesAt = Optional.empty();
    }

    @Override
    public boolean isOpen(ServerId server) {
        return sims.get(server).open;
    }

    @Override
    public void onSessionLost(SessionLossListener listener) {
        listeners.add(listener);
    }

    // ---- ProbePort ------------------------------------------------------------------------------------------

    @Override
    public ProbeReport probe(MonitoredServer server, CheckDepth depth) {
        return probe(server, depth, true);
    }

    @Override
    public ProbeReport probeKept(MonitoredServer server, CheckDepth depth) {
        return probe(server, depth, false);
    }

    private ProbeReport probe(MonitoredServer server, CheckDepth depth, boolean mayConnect) {
        Sim s = sims.get(server.id());
        Instant at = clock.instant();
        boolean opened = false;
        if (!s.open) {
            Optional<MonitorEvent.FailureSummary> why = mayConnect ? connect(s)
                    : Optional.of(new MonitorEvent.FailureSummary(FailureType.CONNECTION_ERROR,
                    server.id().value() + " has no session (recovery is reopening it)"));
            if (why.isPresent()) {
                requests.add(new Request(server.id(), "ping", at, false));
                return new ProbeReport(server.id(), at, Optional.empty(),
                        new ProbeOutcome.Failed(why.get().type(), why.get().message(), Duration.ofMillis(1)));
            }
            opened = true;
        }
        requests.add(new Request(server.id(), "ping", at, true));
        if (s.probeFailure.isPresent()) {
            return new ProbeReport(server.id(), at, Optional.empty(), new ProbeOutcome.Failed(s.probeFailure.get(),
                    s.probeFailure.get().code() + " from the script", Duration.ofMillis(3)));
        }
        return new ProbeReport(server.id(), at, Optional.of(new Handshake(Duration.ofMillis(30), "2025-06-18",
                new ServerInfo("fake-fleet", "1.0"))), opened,
                new ProbeOutcome.Answered(ANSWER_TIME, ProbeMethod.PING, depth == CheckDepth.COMPREHENSIVE
                        ? Optional.of(inventory(s.tools)) : Optional.empty()));
    }

    /** The tools as a comprehensive probe lists them: each one's hash, and the list's. */
    private static dev.mcphealth.domain.model.ToolInventory inventory(List<ToolSpec> tools) {
        java.util.Map<String, String> hashes = new java.util.TreeMap<>();
        tools.forEach(t -> hashes.put(t.name(), Integer.toHexString(t.hashCode())));
        return dev.mcphealth.domain.model.ToolInventory.of(hashes, Integer.toHexString(hashes.hashCode()));
    }

    // ---- ToolCallPort ---------------------------------------------------------------------------------------

    @Override
    public CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments, Duration timeout,
                                boolean mayConnect) {
        return request(server, "tools/call " + tool, mayConnect,
                () -> new CallOutcome.Replied(new ToolReply(false, List.of(tool + " by " + server.id().value()),
                        "{\"content\":[]}"), sims.get(server.id()).answerTime));
    }

    @Override
    public CallOutcome listTools(MonitoredServer server, Duration timeout, boolean mayConnect) {
        Sim s = sims.get(server.id());
        return request(server, "tools/list", mayConnect, () -> new CallOutcome.Listed(s.tools, ANSWER_TIME));
    }

    /**
     * Every server offers one prompt ({@code greet}) and one resource ({@code fake://<server>/readme}), answered
     * with who answered; any other name or uri is refused as a real server refuses it.
     */
    @Override
    public CallOutcome request(MonitoredServer server, UpstreamRequest what, Map<String, Object> params,
                               Duration timeout, boolean mayConnect) {
        String by = server.id().value();
        return request(server, what.name().toLowerCase(java.util.Locale.ROOT), mayConnect, () -> switch (what) {
            case LIST_PROMPTS -> answer("{\"prompts\":[{\"name\":\"greet\"}]}", false);
            case LIST_RESOURCES -> answer("{\"resources\":[{\"uri\":\"fake://" + by + "/readme\",\"name\":\"readme\"}]}",
                    false);
            case LIST_RESOURCE_TEMPLATES -> answer("{\"resourceTemplates\":[]}", false);
            case GET_PROMPT -> "greet".equals(params.get("name"))
                    ? answer("{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"hello from "
                    + by + "\"}}]}", false)
                    : answer("{\"code\":-32602,\"message\":\"no such prompt\"}", true);
            case READ_RESOURCE -> ("fake://" + by + "/readme").equals(params.get("uri"))
                    ? answer("{\"contents\":[{\"uri\":\"fake://" + by + "/readme\",\"text\":\"read me\"}]}", false)
                    : answer("{\"code\":-32002,\"message\":\"Resource not found\"}", true);
        });
    }

    private static CallOutcome answer(String json, boolean refused) {
        return new CallOutcome.Answered(json, refused, ANSWER_TIME);
    }

    private CallOutcome request(MonitoredServer server, String what, boolean mayConnect,
                                java.util.function.Supplier<CallOutcome> answer) {
        Sim s = sims.get(server.id());
        Instant at = clock.instant();
        if (!s.open) {
            Optional<MonitorEvent.FailureSummary> why = mayConnect ? connect(s)
                    : Optional.of(new MonitorEvent.FailureSummary(FailureType.CONNECTION_ERROR,
                    server.id().value() + " has no session"));
            if (why.isPresent()) {
                requests.add(new Request(server.id(), what, at, false));
                // a refused start is quick; a connect to a partitioned host waits out the connect timeout
                Duration took = !mayConnect ? Duration.ZERO
                        : at.isBefore(s.unreachableUntil) ? server.connectTimeout() : Duration.ofMillis(50);
                busy = busy.plus(took);
                return new CallOutcome.Failed(why.get().type(), why.get().message(), false, took);
            }
        }
        requests.add(new Request(server.id(), what, at, true));
        CallOutcome outcome = s.scripted.isEmpty() ? answer.get() : s.scripted.poll();
        busy = busy.plus(outcome.elapsed());
        return outcome;
    }

    // ---- the simulation -------------------------------------------------------------------------------------

    private Optional<MonitorEvent.FailureSummary> connect(Sim s) {
        Instant now = clock.instant();
        if (s.mode == Mode.DOWN) {
            return Optional.of(new MonitorEvent.FailureSummary(FailureType.CONNECTION_ERROR,
                    s.server.id().value() + ": the process exited at start"));
        }
        if (now.isBefore(s.unreachableUntil)) {
            return Optional.of(new MonitorEvent.FailureSummary(FailureType.CONNECTION_ERROR,
                    s.server.id().value() + ": no route to host"));
        }
        s.open = true;
        s.starts++;
        s.diesAt = s.mode == Mode.CRASHING ? Optional.of(now.plus(s.lifetime)) : Optional.empty();
        return Optional.empty();
    }

    private void lose(Sim s, String why) {
        s.open = false;
        s.diesAt = Optional.empty();
        listeners.forEach(l -> l.lost(s.server.id(), FailureType.CONNECTION_ERROR, why));
    }

    private Sim sim(String server) {
        Sim s = sims.get(ServerId.of(server));
        if (s == null) {
            throw new IllegalArgumentException("no simulated server " + server);
        }
        return s;
    }
}
