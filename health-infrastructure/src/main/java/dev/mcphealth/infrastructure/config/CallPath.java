package dev.mcphealth.infrastructure.config;

import dev.mcphealth.domain.routing.RetryBudget;
import dev.mcphealth.infrastructure.resilience.NetflixConcurrencyLimits;
import java.util.Objects;
import java.util.Optional;

/**
 * How calls through the pools are sent (docs/gateway.md).
 *
 * @param retryBudget how many extra requests (failovers, replays, hedges) each pool may send beyond one per call
 *                    ({@code health.retryBudget})
 * @param hedging     whether a call of a tool safe to send twice is hedged after its p95 ({@code health.hedging})
 * @param concurrencyLimit each instance's adaptive concurrency limit, empty when off ({@code health.concurrencyLimit})
 */
public record CallPath(RetryBudget.Settings retryBudget, boolean hedging,
                       Optional<NetflixConcurrencyLimits.Settings> concurrencyLimit) {
    public static final CallPath DEFAULT = new CallPath(RetryBudget.Settings.DEFAULT, true,
            Optional.of(NetflixConcurrencyLimits.Settings.DEFAULT));

    public CallPath {
        Objects.requireNonNull(retryBudget, "retryBudget");
        Objects.requireNonNull(concurrencyLimit, "concurrencyLimit");
    }
}
