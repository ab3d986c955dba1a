package dev.mcphealth.adapter.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One argument of a tool: its JSON type, what it means, the values it may take and its default. One spec gives both the
 * JSON schema a client sees and the check every call goes through, so the two never disagree.
 */
final class Arg {
    enum Kind { STRING, BOOLEAN, STRING_ARRAY, DURATION }

    final String name;
    final Kind kind;
    final String description;
    final List<String> values;
    final Optional<Object> fallback;
    final boolean required;
    final long min;
    final long max;
    final Optional<String> pattern;
    final String patternHint;

    private Arg(String name, Kind kind, String description, List<String> values, Optional<Object> fallback,
                boolean required, long min, long max, Optional<String> pattern, String patternHint) {
        this.name = Objects.requireNonNull(name);
        this.kind = kind;
        this.description = description;
        this.values = List.copyOf(values);
        this.fallback = fallback;
        this.required = required;
        this.min = min;
        this.max = max;
        this.pattern = pattern;
        this.patternHint = patternHint;
    }

    /** A string that must be one of {@code values}. */
    static Arg oneOf(String name, String description, List<String> values) {
        return new Arg(name, Kind.STRING, description, values, Optional.empty(), false, 0, 0, Optional.empty(), "");
    }

    /** A string matching {@code regex}; {@code hint} says what it should look like. */
    static Arg matching(String name, String description, String regex, String hint) {
        return new Arg(name, Kind.STRING, description, List.of(), Optional.empty(), false, 0, 0, Optional.of(regex),
                hint);
    }

    /** A duration like 15m, 24h or 7d, from {@code minSeconds} to {@code maxSeconds}; read as a {@link java.time.Duration}. */
    static Arg duration(String name, String description, long minSeconds, long maxSeconds) {
        return new Arg(name, Kind.DURATION, description, List.of(), Optional.empty(), false, minSeconds, maxSeconds,
                Optional.of("^(\\d+[dhms])+$"), "15m, 24h or 7d");
    }

    static Arg flag(String name, String description) {
        return new Arg(name, Kind.BOOLEAN, description, List.of(), Optional.empty(), false, 0, 0, Optional.empty(), "");
    }

    /** An array of strings, each one of {@code values} (any string when {@code values} is empty). */
    static Arg listOf(String name, String description, List<String> values) {
        return new Arg(name, Kind.STRING_ARRAY, description, values, Optional.empty(), false, 0, 0, Optional.empty(),
                "");
    }

    Arg required() {
        return new Arg(name, kind, description, values, fallback, true, min, max, pattern, patternHint);
    }

    Arg byDefault(Object value) {
        return new Arg(name, kind, description, values, Optional.of(value), false, min, max, pattern, patternHint);
    }

    /** This argument's JSON schema. */
    Map<String, Object> schema() {
        Map<String, Object> s = new LinkedHashMap<>();
        switch (kind) {
            case BOOLEAN:
                s.put("type", "boolean");
                break;
            case STRING_ARRAY:
                s.put("type", "array");
                Map<String, Object> items = new LinkedHashMap<>();
                items.put("type", "string");
                if (!values.isEmpty()) {
                    items.put("enum", values);
                }
                s.put("items", items);
                s.put("uniqueItems", true);
                break;
            case DURATION:
                s.put("type", "string");
                pattern.ifPresent(p -> s.put("pattern", p));
                break;
            default:
                s.put("type", "string");
                if (!values.isEmpty()) {
                    s.put("enum", values);
                }
                pattern.ifPresent(p -> s.put("pattern", p));
                break;
        }
        s.put("description", description);
        fallback.ifPresent(d -> s.put("default", d));
        return s;
    }

    /** The value given, checked, or the default; empty when absent without default. */
    Optional<Object> read(Map<String, Object> given) {
        if (!given.containsKey(name) || given.get(name) == null) {
            if (required) {
                throw new BadArgumentException(name, "is required" + valuesHint());
            }
            return kind == Kind.DURATION
                    ? fallback.map(f -> dev.mcphealth.domain.model.Durations.parse((String) f)) : fallback;
        }
        Object v = given.get(name);
        switch (kind) {
            case BOOLEAN:
                if (!(v instanceof Boolean)) {
                    throw new BadArgumentException(name, "must be true or false, got " + shown(v));
                }
                return Optional.of(v);
            case DURATION:
                if (!(v instanceof String) || !((String) v).matches(pattern.get())) {
                    throw new BadArgumentException(name, "must be a duration like " + patternHint + ", got " + shown(v));
                }
                java.time.Duration d;
                try {
                    d = dev.mcphealth.domain.model.Durations.parse((String) v);
                } catch (IllegalArgumentException e) {
                    d = java.time.Duration.ZERO; // zero, or too long to hold: out of range either way
                }
                if (d.getSeconds() < min || d.getSeconds() > max) {
                    throw new BadArgumentException(name, "must be from " + dev.mcphealth.domain.model.Durations.format(
                            java.time.Duration.ofSeconds(min)) + " to " + dev.mcphealth.domain.model.Durations.format(
                            java.time.Duration.ofSeconds(max)) + ", got " + shown(v));
                }
                return Optional.of(d);
            case STRING_ARRAY:
                if (!(v instanceof List)) {
                    throw new BadArgumentException(name, "must be an array of strings" + valuesHint() + ", got "
                            + shown(v));
                }
                List<String> out = new ArrayList<>();
                for (Object item : (List<?>) v) {
                    if (!(item instanceof String)) {
                        throw new BadArgumentException(name, "must hold only strings, got " + shown(item));
                    }
                    if (!values.isEmpty() && !values.contains(item)) {
                        throw new BadArgumentException(name, "has " + shown(item) + ", which is not one of "
                                + String.join(", ", values));
                    }
                    if (out.contains(item)) {
                        throw new BadArgumentException(name, "names " + shown(item) + " twice");
                    }
                    out.add((String) item);
                }
                return Optional.of(List.copyOf(out));
            default:
                if (!(v instanceof String)) {
                    throw new BadArgumentException(name, "must be a string" + valuesHint() + ", got " + shown(v));
                }
                String s = (String) v;
                if (!values.isEmpty() && !values.contains(s)) {
                    throw new BadArgumentException(name, "must be one of " + String.join(", ", values) + ", got "
                            + shown(s));
                }
                if (pattern.isPresent() && !s.matches(pattern.get())) {
                    throw new BadArgumentException(name, "must look like " + patternHint + ", got " + shown(s));
                }
                if (s.isBlank()) {
                    throw new BadArgumentException(name, "must not be blank");
                }
                return Optional.of(s);
        }
    }

    private String valuesHint() {
        return values.isEmpty() ? "" : " (one of " + String.join(", ", values) + ")";
    }

    /** A value as shown in a message: strings quoted and cut short, never more than 60 characters. */
    static String shown(Object v) {
        String text;
        if (v instanceof String) {
            text = "\"" + v + "\"";
        } else if (v instanceof Map) {
            text = "an object";
        } else if (v instanceof List) {
            text = "an array";
        } else {
            text = String.valueOf(v);
        }
        return text.length() > 60 ? text.substring(0, 57) + "…\"" : text;
    }
}
