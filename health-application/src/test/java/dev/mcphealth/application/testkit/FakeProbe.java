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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A probe whose outcome per server is scripted; unscripted servers answer a ping in 10 ms. Thread-safe. */
public final class FakeProbe implements ProbePort {
    public static final Duration CONNECT_TIME = Duration.ofMillis(40);

    private final Instant startedAt;
    private final Map<ServerId, ProbeOutcome> scripted = new ConcurrentHashMap<>();
    private final List<ServerId> probed = new CopyOnWriteArrayList<>();
    private final List<CheckDepth> depths = new CopyOnWriteArrayList<>();

    public FakeProbe(Instant startedAt) {
        this.startedAt = startedAt;
    }

    public FakeProbe answers(String server, Duration responseTime) {
        scripted.put(ServerId.of(server), new ProbeOutcome.Answered(responseTime, ProbeMethod.PING, Optional.empty()));
        return this;
    }

    public FakeProbe fails(String server, FailureType type, String message) {
        scripted.put(ServerId.of(server), new ProbeOutcome.Failed(type, message, Duration.ofMillis(7)));
        return this;
    }

    @Override
    public ProbeReport probe(MonitoredServer server, CheckDepth depth) {
        probed.add(server.id());
        depths.add(depth);
        ProbeOutcome outcome = scripted.getOrDefault(server.id(),
                new ProbeOutcome.Answered(Duration.ofMillis(10), ProbeMethod.PING, Optional.empty()));
        Optional<Handshake> handshake = outcome instanceof ProbeOutcome.Answered
                ? Optional.of(new Handshake(CONNECT_TIME, "2025-06-18", new ServerInfo("fake", "1.0")))
                : Optional.empty();
        return new ProbeReport(server.id(), startedAt, handshake, outcome);
    }

    public List<ServerId> probed() {
        return List.copyOf(probed);
    }

    public List<CheckDepth> depths() {
        return List.copyOf(depths);
    }
}
