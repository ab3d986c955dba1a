package dev.mcphealth.infrastructure.events;

import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.AnomalyRaised;
import dev.mcphealth.domain.model.AnomalyResolved;
import dev.mcphealth.domain.model.ChangeJudged;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.ToolDrift;
import dev.mcphealth.domain.model.UsageFigure;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One event as one human line in Slack's mrkdwn, e.g. {@code :red_circle: server memory critical: timeout (request
 * timed out after 2000 ms)}. Text from the event is escaped as Slack asks ({@code & < >}).
 */
final class EventText {
    /** Tool names shown per list before "and N more". */
    static final int MAX_NAMES = 10;

    private EventText() {
    }

    static String line(MonitorEvent event) {
        String server = "server " + escape(event.server().value());
        if (event instanceof MonitorEvent.StatusChanged) {
            MonitorEvent.StatusChanged e = (MonitorEvent.StatusChanged) event;
            StringBuilder s = new StringBuilder(emoji(e.to())).append(' ').append(server).append(' ').append(e.to().code());
            if (e.failure().isPresent()) {
                MonitorEvent.FailureSummary f = e.failure().get();
                s.append(": ").append(f.type().code()).append(" (").append(escape(f.message())).append(')');
            } else if (e.from().isPresent()) {
                s.append(" (was ").append(e.from().get().code()).append(')');
            }
            return s.toString();
        }
        if (event instanceof MonitorEvent.AlertRaised) {
            Alert a = ((MonitorEvent.AlertRaised) event).alert();
            return ":rotating_light: alert on " + server + " (" + a.severity().code() + "): " + escape(a.message());
        }
        if (event instanceof MonitorEvent.AlertResolved) {
            Alert a = ((MonitorEvent.AlertResolved) event).alert();
            Duration lasted = Duration.between(a.raisedAt(), a.resolvedAt().orElseThrow());
            return ":white_check_mark: alert resolved on " + server + " (" + a.severity().code() + ", lasted "
                    + duration(lasted) + "): " + escape(a.message());
        }
        if (event instanceof MonitorEvent.PredictionRaised) {
            MonitorEvent.PredictionRaised e = (MonitorEvent.PredictionRaised) event;
            return ":chart_with_upwards_trend: " + server + " " + e.metric().code() + " is " + number(e.current())
                    + ", trending toward its threshold " + number(e.threshold()) + " in about "
                    + duration(e.timeToCross());
        }
        if (event instanceof MonitorEvent.ToolsDrifted) {
            ToolDrift d = ((MonitorEvent.ToolsDrifted) event).drift();
            List<String> parts = new ArrayList<>();
            names("added", d.added(), parts);
            names("removed", d.removed(), parts);
            names("changed", d.changed(), parts);
            return ":warning: " + server + " changed its tools: " + String.join("; ", parts);
        }
        if (event instanceof MonitorEvent.BreakerChanged) {
            MonitorEvent.BreakerChanged e = (MonitorEvent.BreakerChanged) event;
            return ":electric_plug: " + server + " breaker " + e.to().code() + " (was " + e.from().code() + "): "
                    + escape(e.reason());
        }
        if (event instanceof MonitorEvent.RecoveryStarted) {
            MonitorEvent.RecoveryStarted e = (MonitorEvent.RecoveryStarted) event;
            return ":arrows_counterclockwise: " + e.action().code() + " of " + server + ", attempt " + e.attempt();
        }
        if (event instanceof MonitorEvent.RecoverySucceeded) {
            MonitorEvent.RecoverySucceeded e = (MonitorEvent.RecoverySucceeded) event;
            return ":white_check_mark: " + server + " is back after a " + e.action().code() + " (attempt "
                    + e.attempt() + ", " + duration(e.resolution()) + " after it failed)";
        }
        if (event instanceof MonitorEvent.RecoveryFailed) {
            MonitorEvent.RecoveryFailed e = (MonitorEvent.RecoveryFailed) event;
            return ":x: " + e.action().code() + " of " + server + " failed (attempt " + e.attempt() + "): "
                    + e.failure().type().code() + " (" + escape(e.failure().message()) + "); next attempt at "
                    + e.nextAttemptAt();
        }
        if (event instanceof MonitorEvent.RecoveryExhausted) {
            MonitorEvent.RecoveryExhausted e = (MonitorEvent.RecoveryExhausted) event;
            return ":sos: recovery of " + server + " exhausted after " + e.attempts() + " attempts; retrying slowly, "
                    + "next at " + e.nextRetryAt();
        }
        if (event instanceof MonitorEvent.FailedOver) {
            MonitorEvent.FailedOver e = (MonitorEvent.FailedOver) event;
            return ":twisted_rightwards_arrows: " + escape(e.serverType().value()) + " calls moved from "
                    + escape(e.from().value()) + " to " + escape(e.to().value()) + ": " + escape(e.reason());
        }
        if (event instanceof AnomalyRaised) {
            AnomalyRaised e = (AnomalyRaised) event;
            return ":mag: unusual " + usage(e.serverType(), e.tool(), e.figure()) + ": " + number(e.observed())
                    + (e.minutes() > 1 ? " over " + e.minutes() + " min" : "") + ", " + (e.high() ? "above" : "below")
                    + " its usual " + number(e.band().low()) + ".." + number(e.band().high()) + " for this hour";
        }
        if (event instanceof AnomalyResolved) {
            AnomalyResolved e = (AnomalyResolved) event;
            return ":white_check_mark: " + usage(e.serverType(), e.tool(), e.figure()) + " back in its usual band"
                    + " (unusual for " + duration(Duration.between(e.raisedAt(), e.at())) + ")";
        }
        if (event instanceof ChangeJudged e) {
            String change = escape(e.setting()) + " " + escape(e.was()) + " -> " + escape(e.now()) + " on " + server;
            String why = e.evidence().isEmpty() ? "" : " (" + escape(e.evidence().get(0)) + ")";
            switch (e.outcome()) {
                case ROLLED_BACK:
                    return ":leftwards_arrow_with_hook: rolled back " + change + " after its trial" + why;
                case KEPT:
                    return ":ballot_box_with_check: kept " + change + " after its trial: " + e.verdict().code() + why;
                default:
                    return ":information_source: " + change + " not rolled back (no longer its value, or the value"
                            + " before refused) after its trial: " + e.verdict().code() + why;
            }
        }
        if (event instanceof dev.mcphealth.domain.model.StandbyChanged e) {
            String pool = " standby " + server + " of pool " + escape(e.serverType().value());
            switch (e.change()) {
                case WARM_UP:
                    return ":fire:" + pool + " warming: " + escape(e.reason());
                case READY:
                    return ":white_check_mark:" + pool + " in service: " + escape(e.reason());
                default:
                    return ":snowflake:" + pool + " cooled, its session closed: " + escape(e.reason());
            }
        }
        throw new IllegalArgumentException("unknown event " + event.getClass().getName());
    }

    /** {@code rate of tool search on pool web}, {@code p95 of pool web}. */
    private static String usage(ServerType type, Optional<String> tool, UsageFigure figure) {
        return figure.code() + " of " + tool.map(t -> "tool " + escape(t) + " on ").orElse("") + "pool "
                + escape(type.value());
    }

    private static String emoji(HealthStatus status) {
        switch (status) {
            case HEALTHY:
                return ":large_green_circle:";
            case WARNING:
                return ":large_yellow_circle:";
            case CRITICAL:
                return ":red_circle:";
            case OFFLINE:
                return ":black_circle:";
            default:
                throw new IllegalArgumentException("unknown status " + status);
        }
    }

    private static void names(String what, List<String> names, List<String> parts) {
        if (names.isEmpty()) {
            return;
        }
        List<String> shown = new ArrayList<>();
        for (String n : names.subList(0, Math.min(MAX_NAMES, names.size()))) {
            shown.add(escape(n));
        }
        String more = names.size() > MAX_NAMES ? " and " + (names.size() - MAX_NAMES) + " more" : "";
        parts.add(what + " " + String.join(", ", shown) + more);
    }

    /** 2000, 0.25, 0.333 (three decimals at most). */
    static String number(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** 45s, 2m 5s, 3h 0m, 2d 4h. */
    static String duration(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        if (s < 86_400) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
    }

    /** Slack's three control characters in mrkdwn. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
