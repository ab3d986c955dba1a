package dev.mcphealth.domain.model;

import java.time.Duration;
import java.util.Objects;

/**
 * A server under watch, as the core sees it: no command line, URL or secret, only what health decisions need.
 * How to reach it stays in the probe adapter. {@code timeout} bounds each probe request; {@code connectTimeout} bounds
 * starting and initializing a session.
 */
public record MonitoredServer(
        ServerId id,
        ServerType type,
        TransportKind transport,
        Duration timeout,
        Duration connectTimeout,
        Thresholds thresholds,
        FailoverConfig failover) {

    /** A probe request's timeout: toolhive's 10 s; real tool calls may take longer, a liveness probe should not. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Starting and initializing a server: npx may first download the package, which takes seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    public MonitoredServer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(failover, "failover");
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeoutMs must be 1..600000, got "
                    + (timeout == null ? "null" : timeout.toMillis()));
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()
                || connectTimeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("connectTimeoutMs must be 1..600000, got "
                    + (connectTimeout == null ? "null" : connectTimeout.toMillis()));
        }
        if (!failover.primaryServerType().equals(type)) {
            throw new IllegalArgumentException("failover configuration is for " + failover.primaryServerType()
                    + " but the server's type is " + type);
        }
    }

    /** This server with another probe timeout, the rest unchanged; validated like the configured one. */
    public MonitoredServer withTimeout(Duration timeout) {
        return new MonitoredServer(id, type, transport, timeout, connectTimeout, thresholds, failover);
    }
}
