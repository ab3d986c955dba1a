package dev.mcphealth.infrastructure.events;

import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.AnomalyRaised;
import dev.mcphealth.domain.model.AnomalyResolved;
import dev.mcphealth.domain.model.ChangeJudged;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.ToolDrift;
import dev.mcphealth.domain.model.UsageFigure;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@link MonitorEvent} as one JSON object on one line: the shape of {@code mcp-health watch --json}, of the
 * JSON-lines file and of the {@code event} member of a webhook's body (docs/events.md). Every object starts with
 * {@code event} (the kind), {@code server} and {@code at}; the other members depend on the kind. Times are ISO-8601 in
 * UTC, to the millisecond (no fraction when it is zero).
 */
public final class EventJson {
    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .characterEscapes(new LineSeparatorEscapes()).build()).build();

    private EventJson() {
    }

    /** The event as a single line of JSON, without the line break. */
    public static String line(MonitorEvent event) {
        return MAPPER.writeValueAsString(node(event));
    }

    static String write(ObjectNode node) {
        return MAPPER.writeValueAsString(node);
    }

    static ObjectNode objectNode() {
        return MAPPER.createObjectNode();
    }

    static ObjectNode node(MonitorEvent event) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("event", event.kind());
        o.put("server", event.server().value());
        o.put("at", time(event.at()));
        if (event instanceof MonitorEvent.StatusChanged) {
            MonitorEvent.StatusChanged e = (MonitorEvent.StatusChanged) event;
            if (e.from().isPresent()) {
                o.put("from", e.from().get().code());
            } else {
                o.putNull("from");
            }
            o.put("to", e.to().code());
            e.failure().ifPresent(f -> {
                ObjectNode failure = o.putObject("failure");
                failure.put("type", f.type().code());
                failure.put("message", f.message());
            });
            return o;
        }
        if (event instanceof MonitorEvent.AlertRaised) {
            return alert(o, ((MonitorEvent.AlertRaised) event).alert());
        }
        if (event instanceof MonitorEvent.AlertResolved) {
            return alert(o, ((MonitorEvent.AlertResolved) event).alert());
        }
        if (event instanceof MonitorEvent.PredictionRaised) {
            MonitorEvent.PredictionRaised e = (MonitorEvent.PredictionRaised) event;
            o.put("metric", e.metric().code());
            o.put("threshold", e.threshold());
            o.put("current", e.current());
            o.put("trendPerSecond", e.trendPerSecond());
            o.put("timeToCrossSeconds", e.timeToCross().getSeconds());
            return o;
        }
        if (event instanceof MonitorEvent.ToolsDrifted) {
            ToolDrift d = ((MonitorEvent.ToolsDrifted) event).drift();
            names(o.putArray("added"), d.added());
            names(o.putArray("removed"), d.removed());
            names(o.putArray("changed"), d.changed());
            o.put("fromHash", d.fromHash());
            o.put("toHash", d.toHash());
            return o;
        }
        if (event instanceof MonitorEvent.BreakerChanged) {
            MonitorEvent.BreakerChanged e = (MonitorEvent.BreakerChanged) event;
            o.put("from", e.from().code());
            o.put("to", e.to().code());
            o.put("reason", e.reason());
            return o;
        }
        if (event instanceof MonitorEvent.RecoveryStarted) {
            MonitorEvent.RecoveryStarted e = (MonitorEvent.RecoveryStarted) event;
            o.put("action", e.action().code());
            o.put("attempt", e.attempt());
            return o;
        }
        if (event instanceof MonitorEvent.RecoverySucceeded) {
            MonitorEvent.RecoverySucceeded e = (MonitorEvent.RecoverySucceeded) event;
            o.put("action", e.action().code());
            o.put("attempt", e.attempt());
            o.put("resolutionSeconds", e.resolution().toMillis() / 1000.0);
            return o;
        }
        if (event instanceof MonitorEvent.RecoveryFailed) {
            MonitorEvent.RecoveryFailed e = (MonitorEvent.RecoveryFailed) event;
            o.put("action", e.action().code());
            o.put("attempt", e.attempt());
            ObjectNode failure = o.putObject("failure");
            failure.put("type", e.failure().type().code());
            failure.put("message", e.failure().message());
            o.put("nextAttemptAt", time(e.nextAttemptAt()));
            return o;
        }
        if (event instanceof MonitorEvent.RecoveryExhausted) {
            MonitorEvent.RecoveryExhausted e = (MonitorEvent.RecoveryExhausted) event;
            o.put("attempts", e.attempts());
            o.put("nextRetryAt", time(e.nextRetryAt()));
            return o;
        }
        if (event instanceof MonitorEvent.FailedOver) {
            MonitorEvent.FailedOver e = (MonitorEvent.FailedOver) event;
            o.put("serverType", e.serverType().value());
            o.put("from", e.from().value());
            o.put("to", e.to().value());
            o.put("reason", e.reason());
            return o;
        }
        if (event instanceof AnomalyRaised) {
            AnomalyRaised e = (AnomalyRaised) event;
            usage(o, e.serverType(), e.tool(), e.figure());
            o.put("direction", e.high() ? "above" : "below");
            o.put("observed", e.observed());
            o.put("windowMinutes", e.minutes());
            ObjectNode band = o.putObject("expected");
            band.put("value", e.band().expected());
            band.put("low", e.band().low());
            band.put("high", e.band().high());
            band.put("confidence", e.band().confidence());
            o.put("z", e.z());
            return o;
        }
        if (event instanceof AnomalyResolved) {
            AnomalyResolved e = (AnomalyResolved) event;
            usage(o, e.serverType(), e.tool(), e.figure());
            o.put("raisedAt", time(e.raisedAt()));
            return o;
        }
        if (event instanceof ChangeJudged e) {
            o.put("setting", e.setting());
            o.put("was", e.was());
            o.put("now", e.now());
            o.put("outcome", e.outcome().code());
            o.put("verdict", e.verdict().code());
            names(o.putArray("evidence"), e.evidence());
            o.put("appliedAt", time(e.appliedAt()));
            window(o.putObject("before"), e.before());
            window(o.putObject("after"), e.after());
            return o;
        }
        if (event instanceof dev.mcphealth.domain.model.StandbyChanged e) {
            o.put("serverType", e.serverType().value());
            o.put("change", e.change().code());
            o.put("phase", e.phase().code());
            o.put("reason", e.reason());
            return o;
        }
        throw new IllegalArgumentException("unknown event " + event.getClass().getName());
    }

    /** A trial's window: its length, probes and calls (failed of each), and the p95 of the answered ones. */
    private static void window(ObjectNode o, WindowStats w) {
        o.put("seconds", w.window().getSeconds());
        o.put("probes", w.probes());
        o.put("failedProbes", w.failedProbes());
        o.put("calls", w.realCalls());
        o.put("failedCalls", w.failedRealCalls());
        if (w.p95().isPresent()) {
            o.put("p95Ms", w.p95().get().toNanos() / 1e6);
        } else {
            o.putNull("p95Ms");
        }
    }

    /** What an anomaly is about: a pool ({@code tool} null: all its tools) and one of its usage figures. */
    private static void usage(ObjectNode o, ServerType type, Optional<String> tool, UsageFigure figure) {
        o.put("serverType", type.value());
        if (tool.isPresent()) {
            o.put("tool", tool.get());
        } else {
            o.putNull("tool");
        }
        o.put("figure", figure.code());
    }

    private static ObjectNode alert(ObjectNode o, Alert a) {
        o.put("id", a.id());
        o.put("severity", a.severity().code());
        o.put("message", a.message());
        o.put("raisedAt", time(a.raisedAt()));
        if (a.resolvedAt().isPresent()) {
            o.put("resolvedAt", time(a.resolvedAt().get()));
        } else {
            o.putNull("resolvedAt");
        }
        return o;
    }

    private static void names(ArrayNode array, List<String> names) {
        names.forEach(array::add);
    }

    /** ISO-8601 UTC to the millisecond: {@code 2026-03-01T12:00:00Z}, {@code 2026-03-01T12:00:00.250Z}. */
    static String time(Instant at) {
        return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * JSON's own escapes, plus U+2028 and U+2029: legal in JSON strings, but some line readers (Python's
     * {@code splitlines}, for one) break lines there, and a JSON-lines record must stay one line for every reader.
     */
    private static final class LineSeparatorEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private static final int[] ASCII = CharacterEscapes.standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == 0x2028) {
                return new SerializedString("\\u2028");
            }
            if (ch == 0x2029) {
                return new SerializedString("\\u2029");
            }
            return null;
        }
    }
}
