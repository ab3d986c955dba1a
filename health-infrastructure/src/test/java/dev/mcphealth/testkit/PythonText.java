package dev.mcphealth.testkit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The texts a Python server writes, byte for byte: {@code json.dumps(value, indent=2)} (ASCII only, {@code ": "} and
 * {@code ","} separators), {@code str(dict)} (the repr: single quotes, {@code True}/{@code None}), and the two
 * timestamp shapes, {@code datetime.utcnow().isoformat()} (naive) and {@code datetime.now(timezone.utc).isoformat()}.
 * Values are what a JSON parser yields: maps (in their own order), lists, strings, numbers, booleans and null.
 */
final class PythonText {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private PythonText() {
    }

    /** {@code json.dumps(value, indent=2)}. */
    static String json(Object value) {
        StringBuilder out = new StringBuilder();
        json(value, 0, out);
        return out.toString();
    }

    /** {@code str(value)} / {@code repr(value)} of a dict, list or scalar. */
    static String repr(Object value) {
        StringBuilder out = new StringBuilder();
        repr(value, out);
        return out.toString();
    }

    /** {@code datetime.utcnow().isoformat()}: no zone, microseconds unless they are zero. */
    static String naiveUtc(Instant t) {
        LocalDateTime l = LocalDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        int micros = l.getNano() / 1000;
        String s = l.format(SECONDS);
        return micros == 0 ? s : s + String.format(".%06d", micros);
    }

    /** {@code datetime.now(timezone.utc).isoformat()}. */
    static String awareUtc(Instant t) {
        return naiveUtc(t) + "+00:00";
    }

    private static void json(Object v, int depth, StringBuilder out) {
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                indent(depth + 1, out);
                jsonString(String.valueOf(e.getKey()), out);
                out.append(": ");
                json(e.getValue(), depth + 1, out);
                out.append(it.hasNext() ? ",\n" : "\n");
            }
            indent(depth, out);
            out.append('}');
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                indent(depth + 1, out);
                json(l.get(i), depth + 1, out);
                out.append(i < l.size() - 1 ? ",\n" : "\n");
            }
            indent(depth, out);
            out.append(']');
        } else if (v instanceof String s) {
            jsonString(s, out);
        } else if (v == null) {
            out.append("null");
        } else if (v instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (v instanceof Number n) {
            out.append(number(n));
        } else {
            jsonString(v.toString(), out);
        }
    }

    private static void indent(int depth, StringBuilder out) {
        out.append("  ".repeat(depth));
    }

    private static void jsonString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7f) {
                        out.append(String.format("\\u%04x", (int) c)); // ensure_ascii, lower-case hex like Python
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void repr(Object v, StringBuilder out) {
        if (v instanceof Map<?, ?> m) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                repr(e.getKey(), out);
                out.append(": ");
                repr(e.getValue(), out);
                if (it.hasNext()) {
                    out.append(", ");
                }
            }
            out.append('}');
        } else if (v instanceof List<?> l) {
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                repr(l.get(i), out);
                if (i < l.size() - 1) {
                    out.append(", ");
                }
            }
            out.append(']');
        } else if (v instanceof String s) {
            reprString(s, out);
        } else if (v == null) {
            out.append("None");
        } else if (v instanceof Boolean b) {
            out.append(b ? "True" : "False");
        } else if (v instanceof Number n) {
            out.append(number(n));
        } else {
            reprString(v.toString(), out);
        }
    }

    /** Python's choice: single quotes, unless the text holds a single quote and no double quote. */
    private static void reprString(String s, StringBuilder out) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        out.append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == q || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append(q);
    }

    /** Integers as they are; floats as Python's repr does in the usual range ({@code 0.0}, {@code 25.0}, {@code 1.5}). */
    private static String number(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger) {
            return n.toString();
        }
        if (n instanceof BigDecimal bd) {
            return bd.toPlainString();
        }
        double d = n.doubleValue();
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return Long.toString((long) d) + ".0";
        }
        return Double.toString(d);
    }
}
