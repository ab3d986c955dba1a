package dev.mcphealth.adapter.mcp;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The checked arguments of one call, defaults filled in. */
final class Args {
    private final Map<String, Object> values;

    Args(Map<String, Object> values) {
        this.values = Map.copyOf(values);
    }

    Optional<String> text(String name) {
        return Optional.ofNullable((String) values.get(name));
    }

    /** A required or defaulted string. */
    String textOr(String name, String fallback) {
        return text(name).orElse(fallback);
    }

    boolean flag(String name) {
        return Boolean.TRUE.equals(values.get(name));
    }

    Optional<java.time.Duration> duration(String name) {
        return Optional.ofNullable((java.time.Duration) values.get(name));
    }

    @SuppressWarnings("unchecked")
    List<String> list(String name) {
        Object v = values.get(name);
        return v == null ? List.of() : (List<String>) v;
    }
}
