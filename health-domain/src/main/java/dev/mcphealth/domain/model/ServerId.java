package dev.mcphealth.domain.model;

import java.util.regex.Pattern;

/**
 * One monitored server instance: the key under which it appears in the client configuration
 * ({@code mcpServers.<name>}). Several instances may share a {@link ServerType}.
 */
public record ServerId(String value) implements Comparable<ServerId> {
    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:/-]{0,127}");

    public ServerId {
        if (value == null || !LEGAL.matcher(value).matches()) {
            throw new IllegalArgumentException("server name must be 1-128 characters of letters, digits and . _ @ : / -"
                    + " starting with a letter or digit, got " + Text.quote(value));
        }
    }

    public static ServerId of(String value) {
        return new ServerId(value);
    }

    @Override
    public int compareTo(ServerId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
