package dev.mcphealth.testkit;

import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.model.TransportKind;
import java.time.Duration;

/** Test data builder: {@code aServer().named("x").over(STDIO).withTimeout(ofSeconds(1)).build()}. */
public final class TestServers {
    private String name = "everything";
    private String type;
    private TransportKind transport = TransportKind.STDIO;
    private Duration timeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Thresholds thresholds = Thresholds.DEFAULTS;

    private TestServers() {
    }

    public static TestServers aServer() {
        return new TestServers();
    }

    public TestServers named(String n) {
        this.name = n;
        return this;
    }

    public TestServers ofType(String t) {
        this.type = t;
        return this;
    }

    public TestServers over(TransportKind t) {
        this.transport = t;
        return this;
    }

    public TestServers withTimeout(Duration d) {
        this.timeout = d;
        return this;
    }

    public TestServers withConnectTimeout(Duration d) {
        this.connectTimeout = d;
        return this;
    }

    public TestServers withThresholds(Thresholds t) {
        this.thresholds = t;
        return this;
    }

    public MonitoredServer build() {
        ServerType t = ServerType.of(type == null ? name : type);
        return new MonitoredServer(ServerId.of(name), t, transport, timeout, connectTimeout, thresholds,
                FailoverConfig.defaultsFor(t));
    }
}
