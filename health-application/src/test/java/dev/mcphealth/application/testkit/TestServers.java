package dev.mcphealth.application.testkit;

import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.FallbackStrategy;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.model.TransportKind;
import java.time.Duration;
import java.util.Optional;

/**
 * Test data builder for every module's tests: {@code aServer().named("x").ofType("search").withTimeout(ofSeconds(1))
 * .build()}.
 */
public final class TestServers {
    private String name = "server";
    private String type;
    private TransportKind transport = TransportKind.STDIO;
    private Thresholds thresholds = Thresholds.DEFAULTS;
    private Duration interval = FailoverConfig.DEFAULT_INTERVAL;
    private FallbackStrategy strategy = FallbackStrategy.GRACEFUL_DEGRADATION;
    private Optional<ServerType> fallbackType = Optional.empty();
    private boolean autoRecovery = true;
    private int maxRetryAttempts = FailoverConfig.DEFAULT_MAX_RETRY_ATTEMPTS;
    private Duration retryDelay = FailoverConfig.DEFAULT_RETRY_DELAY;
    private Duration timeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(30);

    private TestServers() {
    }

    public static TestServers aServer() {
        return new TestServers();
    }

    public TestServers named(String name) {
        this.name = name;
        return this;
    }

    public TestServers ofType(String type) {
        this.type = type;
        return this;
    }

    public TestServers over(TransportKind transport) {
        this.transport = transport;
        return this;
    }

    public TestServers withThresholds(Thresholds thresholds) {
        this.thresholds = thresholds;
        return this;
    }

    /** The probe's (and a call's) timeout. */
    public TestServers withTimeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public TestServers withConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        return this;
    }

    public TestServers every(Duration interval) {
        this.interval = interval;
        return this;
    }

    /** Recovery: at most {@code maxAttempts} attempts per episode, the second {@code retryDelay} after the first. */
    public TestServers recovering(int maxAttempts, Duration retryDelay) {
        this.maxRetryAttempts = maxAttempts;
        this.retryDelay = retryDelay;
        return this;
    }

    public TestServers withoutAutoRecovery() {
        this.autoRecovery = false;
        return this;
    }

    public TestServers strategy(FallbackStrategy strategy) {
        this.strategy = strategy;
        return this;
    }

    /** The alternative_server strategy with {@code type} as the fallback. */
    public TestServers fallingBackTo(String type) {
        this.strategy = FallbackStrategy.ALTERNATIVE_SERVER;
        this.fallbackType = Optional.of(ServerType.of(type));
        return this;
    }

    public MonitoredServer build() {
        ServerType t = ServerType.of(type == null ? name : type);
        return new MonitoredServer(ServerId.of(name), t, transport, timeout, connectTimeout, thresholds,
                new FailoverConfig(t, strategy, fallbackType, autoRecovery, maxRetryAttempts, retryDelay, interval,
                        Optional.empty()));
    }
}
