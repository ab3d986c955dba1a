package dev.mcphealth.application.testkit;

import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.Handshake;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeMethod;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerInfo;
import dev.mcphealth.domain.model.ToolInventory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A probe whose outcome per server is set by the test as simulated time goes on; unscripted servers answer a ping in
 * 10 ms. Reports start at the clock's now; an answer opens the server's session when it has none, a connection
 * error leaves it none; a comprehensive probe lists
 * the tools scripted for it ({@link #lists}, none by default). Every probe is kept ({@link #probed}, {@link #depths}).
 * Held to {@code ProbeContract} (ScriptedProbeContractTest) as the real McpProbe is. Thread-safe.
 */
public final class ScriptedProbe implements ProbePort {
    /** How long each scripted handshake took. */
    public static final Duration CONNECT_TIME = Duration.ofMillis(30);
    private final Clock clock;
    private final Map<ServerId, ProbeOutcome> outcomes = new ConcurrentHashMap<>();
    private final Map<ServerId, ToolInventory> tools = new ConcurrentHashMap<>();
    private final Map<ServerId, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<ServerId, Duration> timeouts = new ConcurrentHashMap<>();
    // appended on every probe (a simulated day is 259,200 of them): a queue, not a copy-on-write list, whose every add
    // copies all that came before
    private final Queue<ServerId> probed = new ConcurrentLinkedQueue<>();
    private final Queue<CheckDepth> depths = new ConcurrentLinkedQueue<>();
    private final java.util.Set<ServerId> open = ConcurrentHashMap.newKeySet();

    public ScriptedProbe(Clock clock) {
        this.clock = clock;
    }

    public ScriptedProbe answers(String server, long millis) {
        outcomes.put(ServerId.of(server), new ProbeOutcome.Answered(Duration.ofMillis(millis), ProbeMethod.PING,
                Optional.empty()));
        return this;
    }

    public ScriptedProbe answers(String server, Duration responseTime) {
        outcomes.put(ServerId.of(server), new ProbeOutcome.Answered(responseTime, ProbeMethod.PING, Optional.empty()));
        return this;
    }

    public ScriptedProbe fails(String server, FailureType type) {
        return fails(server, type, type.code() + " from the script");
    }

    public ScriptedProbe fails(String server, FailureType type, String message) {
        outcomes.put(ServerId.of(server), new ProbeOutcome.Failed(type, message, Duration.ofMillis(5)));
        return this;
    }

    /** Every server probed, in order. */
    public List<ServerId> probed() {
        return List.copyOf(probed);
    }

    /** The depth of every probe, in order. */
    public List<CheckDepth> depths() {
        return List.copyOf(depths);
    }

    public ScriptedProbe lists(String server, Map<String, String> toolHashes) {
        tools.put(ServerId.of(server), ToolInventory.of(toolHashes, "h" + toolHashes.hashCode()));
        return this;
    }

    public int probes(String server) {
        return counts.getOrDefault(ServerId.of(server), new AtomicInteger()).get();
    }

    /** The probe timeout the last probe of {@code server} was asked to keep. */
    public Duration lastTimeout(String server) {
        return timeouts.get(ServerId.of(server));
    }

    @Override
    public ProbeReport probe(MonitoredServer server, CheckDepth depth) {
        probed.add(server.id());
        depths.add(depth);
        counts.computeIfAbsent(server.id(), k -> new AtomicInteger()).incrementAndGet();
        timeouts.put(server.id(), server.timeout());
        ProbeOutcome outcome = outcomes.getOrDefault(server.id(),
                new ProbeOutcome.Answered(Duration.ofMillis(10), ProbeMethod.PING, Optional.empty()));
        if (outcome instanceof ProbeOutcome.Answered a && depth == CheckDepth.COMPREHENSIVE
                && tools.containsKey(server.id())) {
            outcome = new ProbeOutcome.Answered(a.responseTime(), a.method(), Optional.of(tools.get(server.id())));
        }
        // as the real probe: an answer opens a session when there is none; a connection error leaves none; the
        // handshake is the open session's
        boolean opened = outcome instanceof ProbeOutcome.Answered && open.add(server.id());
        if (outcome instanceof ProbeOutcome.Failed f && f.type() == FailureType.CONNECTION_ERROR) {
            open.remove(server.id());
        }
        Optional<Handshake> handshake = open.contains(server.id())
                ? Optional.of(new Handshake(CONNECT_TIME, "2025-06-18", new ServerInfo("scripted", "1.0")))
                : Optional.empty();
        return new ProbeReport(server.id(), clock.instant(), handshake, opened, outcome);
    }
}
