package dev.mcphealth.adapter.web;

import dev.mcphealth.domain.model.Coded;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Structured content as plain maps and lists, in a stable key order, never holding null (an absent value is left out,
 * so the output schemas need no nullable types). Durations are milliseconds, instants ISO-8601 text, enums their codes.
 */
public final class Obj {
    private final Map<String, Object> map = new LinkedHashMap<>();

    public static Obj of() {
        return new Obj();
    }

    public Obj put(String key, Object value) {
        Object v = value instanceof Optional ? ((Optional<?>) value).orElse(null) : value;
        Object p = v == null ? null : plain(v);
        if (p != null) {
            map.put(key, p);
        }
        return this;
    }

    public Map<String, Object> map() {
        return map;
    }

    public static Object plain(Object v) {
        if (v instanceof Obj) {
            return ((Obj) v).map;
        }
        if (v instanceof Duration) {
            return ms((Duration) v);
        }
        if (v instanceof Instant) {
            return v.toString();
        }
        if (v instanceof Coded) {
            return ((Coded) v).code();
        }
        if (v instanceof Double) {
            double d = (Double) v;
            return Double.isFinite(d) ? round(d, 6) : null;
        }
        if (v instanceof List) {
            return ((List<?>) v).stream().map(Obj::plain).filter(java.util.Objects::nonNull).toList();
        }
        if (v instanceof Map) {
            Map<String, Object> m = new LinkedHashMap<>();
            ((Map<?, ?>) v).forEach((k, x) -> {
                Object p = plain(x);
                if (p != null) {
                    m.put(k instanceof Coded ? ((Coded) k).code() : String.valueOf(k), p);
                }
            });
            return m;
        }
        return v;
    }

    /** Milliseconds with microsecond resolution. */
    public static double ms(Duration d) {
        return round(d.toNanos() / 1e6, 3);
    }

    public static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    /** A duration as text for summaries: 0.4 ms, 12 ms, 1.3 s, 4 min. */
    public static String human(Duration d) {
        double ms = d.toNanos() / 1e6;
        if (ms < 10) {
            return String.format(java.util.Locale.ROOT, "%.1f ms", ms);
        }
        if (ms < 1000) {
            return Math.round(ms) + " ms";
        }
        if (ms < 120_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000);
        }
        return Math.round(ms / 60_000) + " min";
    }

    public static String percent(double ratio) {
        return String.format(java.util.Locale.ROOT, "%.2f %%", ratio * 100);
    }
}
