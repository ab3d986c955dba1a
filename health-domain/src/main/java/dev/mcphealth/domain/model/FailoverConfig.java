package dev.mcphealth.domain.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** How failures of one server type are handled: a row of failover_configurations. */
public record FailoverConfig(
        ServerType primaryServerType,
        FallbackStrategy fallbackStrategy,
        Optional<ServerType> fallbackServerType,
        boolean autoRecovery,
        int maxRetryAttempts,
        Duration retryDelay,
        Duration healthCheckInterval,
        Optional<String> orchestratorFailoverTaskId) {

    public static final int DEFAULT_MAX_RETRY_ATTEMPTS = 3;
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(30);
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_INTERVAL = Duration.ofDays(1);
    public static final int MAX_RETRY_ATTEMPTS = 100;
    public static final Duration MAX_RETRY_DELAY = Duration.ofHours(1);

    public FailoverConfig {
        Objects.requireNonNull(primaryServerType, "primaryServerType");
        Objects.requireNonNull(fallbackStrategy, "fallbackStrategy");
        Objects.requireNonNull(fallbackServerType, "fallbackServerType");
        Objects.requireNonNull(orchestratorFailoverTaskId, "orchestratorFailoverTaskId");
        if (fallbackStrategy == FallbackStrategy.ALTERNATIVE_SERVER && fallbackServerType.isEmpty()) {
            throw new IllegalArgumentException("fallback strategy alternative_server needs a fallback server type");
        }
        if (fallbackServerType.filter(primaryServerType::equals).isPresent()) {
            throw new IllegalArgumentException("fallback server type must differ from the primary, both are "
                    + primaryServerType);
        }
        if (maxRetryAttempts < 0 || maxRetryAttempts > MAX_RETRY_ATTEMPTS) {
            throw new IllegalArgumentException("maxRetryAttempts must be 0.." + MAX_RETRY_ATTEMPTS + ", got "
                    + maxRetryAttempts);
        }
        if (retryDelay == null || retryDelay.isNegative() || retryDelay.compareTo(MAX_RETRY_DELAY) > 0) {
            throw new IllegalArgumentException("retryDelaySeconds must be 0.." + MAX_RETRY_DELAY.toSeconds() + ", got "
                    + seconds(retryDelay));
        }
        if (healthCheckInterval == null || healthCheckInterval.compareTo(MIN_INTERVAL) < 0
                || healthCheckInterval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("intervalSeconds must be " + MIN_INTERVAL.toSeconds() + ".."
                    + MAX_INTERVAL.toSeconds() + ", got " + seconds(healthCheckInterval));
        }
        orchestratorFailoverTaskId.ifPresent(id -> Text.requireText(id, "orchestratorFailoverTaskId"));
    }

    /** The design's defaults for a type with no fallback: degrade gracefully, recover automatically. */
    public static FailoverConfig defaultsFor(ServerType type) {
        return new FailoverConfig(type, FallbackStrategy.GRACEFUL_DEGRADATION, Optional.empty(), true,
                DEFAULT_MAX_RETRY_ATTEMPTS, DEFAULT_RETRY_DELAY, DEFAULT_INTERVAL, Optional.empty());
    }

    private static String seconds(Duration d) {
        return d == null ? "null" : Long.toString(d.toSeconds());
    }
}
