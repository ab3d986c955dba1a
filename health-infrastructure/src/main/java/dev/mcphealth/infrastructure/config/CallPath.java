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
 * @param callTimeout how long a call waits on one instance at most ({@code health.callTimeout.maxMs})
 * @param adaptiveTimeouts whether each tool's calls wait as long as its observed latency says, within
 *                         {@code callTimeout} ({@code health.callTimeout.adaptive})
 * @param learnedMinute how long a minute of the learned week is: a minute, or down to a second to compress a week into
 *                      under three hours for a demonstration or a test ({@code health.learning.minuteSeconds})
 * @param trialWindow   how long a change applied by the optimizer is measured before it is judged and kept or rolled
 *                      back ({@code health.tuning.trialMinutes}: 1, 15 or 60)
 * @param prewarm       how long ahead of a surge hour standby instances are warmed, and the least time one stays in a
 *                      phase before it is cooled ({@code health.prewarm.leadSeconds}, {@code staySeconds})
 * @param followProbeHours whether the monitor probes each server as often as the hour of its type's week asks
 *                      ({@code health.tuning.probeHours: follow}), or only advises it ({@code advise}, the default)
 */
public record CallPath(RetryBudget.Settings retryBudget, boolean hedging,
                       Optional<NetflixConcurrencyLimits.Settings> concurrencyLimit, java.time.Duration callTimeout,
                       boolean adaptiveTimeouts, java.time.Duration learnedMinute, java.time.Duration trialWindow,
                       dev.mcphealth.domain.learning.Prewarm.Timing prewarm, boolean followProbeHours) {
    /** The ceiling of a call's wait by default: what every call waited before tools had their own timeouts. */
    public static final java.time.Duration CALL_TIMEOUT = java.time.Duration.ofSeconds(30);
    public static final CallPath DEFAULT = new CallPath(RetryBudget.Settings.DEFAULT, true,
            Optional.of(NetflixConcurrencyLimits.Settings.DEFAULT), CALL_TIMEOUT, true, java.time.Duration.ofMinutes(1),
            java.time.Duration.ofMinutes(15), dev.mcphealth.domain.learning.Prewarm.Timing.DEFAULT, false);

    public CallPath {
        Objects.requireNonNull(retryBudget, "retryBudget");
        Objects.requireNonNull(concurrencyLimit, "concurrencyLimit");
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(learnedMinute, "learnedMinute");
        Objects.requireNonNull(trialWindow, "trialWindow");
        Objects.requireNonNull(prewarm, "prewarm");
    }

    /** The built-in call timeouts, with this budget, hedging and limits. */
    public CallPath(RetryBudget.Settings retryBudget, boolean hedging,
                    Optional<NetflixConcurrencyLimits.Settings> concurrencyLimit) {
        this(retryBudget, hedging, concurrencyLimit, CALL_TIMEOUT, true, DEFAULT.learnedMinute(),
                DEFAULT.trialWindow(), DEFAULT.prewarm(), DEFAULT.followProbeHours());
    }
}
