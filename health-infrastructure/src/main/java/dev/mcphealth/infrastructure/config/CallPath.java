package dev.mcphealth.infrastructure.config;

import dev.mcphealth.domain.routing.RetryBudget;
import java.util.Objects;

/**
 * How calls through the pools are sent (docs/gateway.md).
 *
 * @param retryBudget how many extra requests (failovers, replays, hedges) each pool may send beyond one per call
 *                    ({@code health.retryBudget})
 * @param hedging     whether a call of a tool safe to send twice is hedged after its p95 ({@code health.hedging})
 */
public record CallPath(RetryBudget.Settings retryBudget, boolean hedging) {
    public static final CallPath DEFAULT = new CallPath(RetryBudget.Settings.DEFAULT, true);

    public CallPath {
        Objects.requireNonNull(retryBudget, "retryBudget");
    }
}
