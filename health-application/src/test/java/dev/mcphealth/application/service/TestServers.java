package dev.mcphealth.application.service;

import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.model.TransportKind;
import java.time.Duration;

/** Test data builder: {@code aServer().named("x").ofType("search").build()}. */
final class TestServers {
    private String name = "server";
    private String type;
    private TransportKind transport = TransportKind.STDIO;
    private Thresholds thresholds = Thresholds.DEFAULTS;

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

    MonitoredServer build() {
        ServerType t = ServerType.of(type == null ? name : type);
        return new MonitoredServer(ServerId.of(name), t, transport, Duration.ofSeconds(10), Duration.ofSeconds(30),
                thresholds, FailoverConfig.defaultsFor(t));
    }
}
