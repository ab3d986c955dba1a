package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.Uptime;
import dev.mcphealth.domain.model.WindowStats;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * server_status.snapshot: a {@link StatusSnapshot} as JSON, format version 1 (docs/storage.md shows it whole). Every
 * key is always written, in this order, an absent value as {@code null}: {@code version}, {@code server},
 * {@code serverType}, {@code status} (healthy | warning | critical | offline), {@code since}, {@code updatedAt},
 * {@code sla} ({@code probes}, {@code answered}, {@code target}), {@code windows} (each {@code window} as an ISO-8601
 * duration, {@code calls}, {@code errors}, {@code probes}, {@code answeredProbes}, {@code p50Ms}, {@code p95Ms},
 * {@code p99Ms}), {@code lastFailure} ({@code type}, {@code message}), {@code lastFailureAt}, {@code details} (keys
 * sorted). Instants are ISO-8601 UTC ({@code Instant.toString}); latencies are milliseconds as exact decimals (up to
 * six places: nanoseconds). Reading ignores unknown keys and takes a missing optional key as absent, so adding a key
 * needs no new version; changing or removing one does, and a newer version is refused rather than misread.
 */
final class StatusJson {
    static final int VERSION = 1;
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private StatusJson() {
    }

    static String write(StatusSnapshot s) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", VERSION);
        root.put("server", s.server().value());
        root.put("serverType", s.type().value());
        root.put("status", s.status().map(HealthStatus::code).orElse(null));
        root.put("since", s.since().map(Instant::toString).orElse(null));
        root.put("updatedAt", s.updatedAt().toString());
        ObjectNode sla = root.putObject("sla");
        sla.put("probes", s.slaProbes());
        sla.put("answered", s.slaAnswered());
        sla.put("observedMs", millis(s.uptime().observed()));
        sla.put("downMs", millis(s.uptime().down()));
        sla.put("target", s.slaTarget());
        ArrayNode windows = root.putArray("windows");
        for (WindowStats w : s.windows()) {
            ObjectNode o = windows.addObject();
            o.put("window", w.window().toString());
            o.put("calls", w.calls());
            o.put("errors", w.errors());
            o.put("probes", w.probes());
            o.put("answeredProbes", w.answeredProbes());
            o.put("p50Ms", w.p50().map(StatusJson::millis).orElse(null));
            o.put("p95Ms", w.p95().map(StatusJson::millis).orElse(null));
            o.put("p99Ms", w.p99().map(StatusJson::millis).orElse(null));
        }
        if (s.lastFailure().isPresent()) {
            ObjectNode f = root.putObject("lastFailure");
            f.put("type", s.lastFailure().get().type().code());
            f.put("message", s.lastFailure().get().message());
        } else {
            root.putNull("lastFailure");
        }
        root.put("lastFailureAt", s.lastFailureAt().map(Instant::toString).orElse(null));
        ObjectNode details = root.putObject("details");
        new TreeMap<>(s.details()).forEach(details::put);
        return MAPPER.writeValueAsString(root);
    }

    /**
     * The snapshot in {@code json}.
     *
     * @throws IllegalArgumentException naming what is wrong, if it is not a snapshot this version can read
     */
    static StatusSnapshot read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON (" + e.getOriginalMessage() + ")", e);
        }
        try {
            int version = root.required("version").intValue();
            if (version != VERSION) {
                throw new IllegalArgumentException("format " + version + " is not " + VERSION
                        + (version > VERSION ? ": written by a newer MCP Health" : ""));
            }
            JsonNode sla = root.required("sla");
            List<WindowStats> windows = new ArrayList<>();
            for (JsonNode w : root.required("windows")) {
                windows.add(new WindowStats(Duration.parse(w.required("window").stringValue()),
                        w.required("calls").longValue(), w.required("errors").longValue(),
                        w.required("probes").longValue(), w.required("answeredProbes").longValue(),
                        optional(w, "p50Ms", StatusJson::duration), optional(w, "p95Ms", StatusJson::duration),
                        optional(w, "p99Ms", StatusJson::duration)));
            }
            Map<String, String> details = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : root.required("details").properties()) {
                details.put(e.getKey(), e.getValue().stringValue());
            }
            return new StatusSnapshot(ServerId.of(root.required("server").stringValue()),
                    ServerType.of(root.required("serverType").stringValue()),
                    optional(root, "status", n -> HealthStatus.fromCode(n.stringValue())),
                    optional(root, "since", StatusJson::instant),
                    windows, sla.required("probes").longValue(), sla.required("answered").longValue(),
                    // a board written before uptime was kept has none: its SLA is then answered over probes
                    sla.has("observedMs") ? new Uptime(duration(sla.required("observedMs")),
                            duration(sla.required("downMs"))) : Uptime.NONE,
                    sla.required("target").doubleValue(),
                    optional(root, "lastFailure", n -> new MonitorEvent.FailureSummary(
                            FailureType.fromCode(n.required("type").stringValue()),
                            n.required("message").stringValue())),
                    optional(root, "lastFailureAt", StatusJson::instant),
                    instant(root.required("updatedAt")), details);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            // Jackson's JsonNodeException (a key missing, a value of the wrong type), a bad instant or duration
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static <T> Optional<T> optional(JsonNode parent, String key, Function<JsonNode, T> read) {
        JsonNode n = parent.get(key);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(read.apply(n));
    }

    private static Instant instant(JsonNode n) {
        return Instant.parse(n.stringValue());
    }

    /** Milliseconds, exact to the nanosecond: no trailing zeros, never in exponent form. */
    private static BigDecimal millis(Duration d) {
        BigInteger nanos = BigInteger.valueOf(d.getSeconds()).multiply(BigInteger.valueOf(1_000_000_000L))
                .add(BigInteger.valueOf(d.getNano()));
        return new BigDecimal(nanos, 6).stripTrailingZeros();
    }

    private static Duration duration(JsonNode ms) {
        BigInteger nanos = ms.decimalValue().movePointRight(6).toBigIntegerExact();
        BigInteger[] secondsAndNanos = nanos.divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
        return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
    }
}
