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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A probe whose outcome per server is set by the test as simulated time goes on; unscripted servers answer in 10 ms.
 * Reports start at the test clock's now; the first probe of a server opens its session.
 */
public final class ScriptedProbe implements ProbePort {
    private final Clock clock;
    private final Map<ServerId, ProbeOutcome> outcomes = new ConcurrentHashMap<>();
    private final Map<ServerId, ToolInventory> tools = new ConcurrentHashMap<>();
    private final Map<ServerId, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<ServerId, Duration> timeouts = new ConcurrentHashMap<>();

    public ScriptedProbe(Clock clock) {
        this.clock = clock;
    }

    public ScriptedProbe answers(String server, long millis) {
        outcomes.put(ServerId.of(server), new ProbeOutcome.Answered(Duration.ofMillis(millis), ProbeMethod.PING,
                Optional.empty()));
        return this;
    }

    public ScriptedProbe fails(String server, FailureType type) {
        outcomes.put(ServerId.of(server), new ProbeOutcome.Failed(type, type.code() + " from the script",
                Duration.ofMillis(5)));
        return this;
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
        int n = counts.computeIfAbsent(server.id(), k -> new AtomicInteger()).incrementAndGet();
        timeouts.put(server.id(), server.timeout());
        ProbeOutcome outcome = outcomes.getOrDefault(server.id(),
                new ProbeOutcome.Answered(Duration.ofMillis(10), ProbeMethod.PING, Optional.empty()));
        if (outcome instanceof ProbeOutcome.Answered a && depth == CheckDepth.COMPREHENSIVE
                && tools.containsKey(server.id())) {
            outcome = new ProbeOutcome.Answered(a.responseTime(), a.method(), Optional.of(tools.get(server.id())));
        }
        Optional<Handshake> handshake = Optional.of(new Handshake(Duration.ofMillis(30), "2025-06-18",
                new ServerInfo("scripted", "1.0")));
        return new ProbeReport(server.id(), clock.instant(), handshake, n == 1, outcome);
    }
}
