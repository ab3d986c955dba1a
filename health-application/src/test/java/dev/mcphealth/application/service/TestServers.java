package dev.mcphealth.application.service;

import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.FallbackStrategy;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.model.TransportKind;
import java.time.Duration;
import java.util.Optional;

/** Test data builder: {@code aServer().named("x").ofType("search").build()}. */
final class TestServers {
    private String name = "server";
    private String type;
    private TransportKind transport = TransportKind.STDIO;
    private Thresholds thresholds = Thresholds.DEFAULTS;
    private Duration interval = FailoverConfig.DEFAULT_INTERVAL;

    private TestServers() {
    }

    static TestServers aServer() {
        return new TestServers();
    }

    TestServers named(String name) {
        this.name = name;
        return this;
    }

    TestServers ofType(String type) {
        this.type = type;
        return this;
    }

    TestServers over(TransportKind transport) {
        this.transport = transport;
        return this;
    }

    TestServers withThresholds(Thresholds thresholds) {
        this.thresholds = thresholds;
        return this;
    }

    TestServers every(Duration interval) {
        this.interval = interval;
        return this;
    }

    MonitoredServer build() {
        ServerType t = ServerType.of(type == null ? name : type);
        return new MonitoredServer(ServerId.of(name), t, transport, Duration.ofSeconds(10), Duration.ofSeconds(30),
                thresholds, new FailoverConfig(t, FallbackStrategy.GRACEFUL_DEGRADATION, Optional.empty(), true,
                FailoverConfig.DEFAULT_MAX_RETRY_ATTEMPTS, FailoverConfig.DEFAULT_RETRY_DELAY, interval,
                Optional.empty()));
    }
}
