package dev.mcphealth.application.routing;

import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.routing.RetryBudget;
import java.time.Duration;

/** What a caller is told when a pool cannot serve a call now, and when to try again. */
final class Refusals {
    private Refusals() {
    }

    static String unavailable(ServerType type, Attempted<?> run, RetryBudget.Settings budget) {
        if (run.budgetSpent) {
            return type.value() + ": the call failed on " + run.failedOn().map(ServerId::value).orElse("an instance")
                    + " and the pool's retry budget is spent (extra requests at most "
                    + Math.round(budget.ratio() * 100) + " % of its calls plus " + budget.minPerSecond()
                    + " a second); retry after " + seconds(run.retryAfter) + " s";
        }
        if (run.shed && run.lastFailure().isEmpty()) {
            return type.value() + ": every instance that could take the call is at its concurrency limit (overloaded);"
                    + " retry after " + seconds(run.retryAfter) + " s";
        }
        return unavailable(type, run.retryAfter);
    }

    static String unavailable(ServerType type, Duration retryAfter) {
        return type.value() + ": no healthy instance; retry after " + seconds(retryAfter) + " s";
    }

    /** Whole seconds, rounded up, at least 1: what a retry-after says. */
    static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
