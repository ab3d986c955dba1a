package dev.mcphealth.infrastructure.config;

import java.util.Comparator;
import java.util.List;

/** Replaces every secret value in a text with {@code ***}. */
public final class Redactor {
    /** Values shorter than this ("1", "on") are not secrets worth hiding and would mangle every message. */
    static final int MIN_SECRET_LENGTH = 4;
    private final List<String> secrets;

    public Redactor(List<String> secrets) {
        this.secrets = secrets.stream()
                .filter(s -> s != null && s.length() >= MIN_SECRET_LENGTH)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    public static Redactor of(Endpoint endpoint) {
        return new Redactor(endpoint.secrets());
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "***");
        }
        return out;
    }
}
