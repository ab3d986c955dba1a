package dev.mcphealth.domain.model;

import java.util.regex.Pattern;

/**
 * One monitored server instance: the key under which it appears in the client configuration
 * ({@code mcpServers.<name>}). Several instances may share a {@link ServerType}.
 */
public record ServerId(String value) implements Comparable<ServerId> {
    /** Any name a client accepts: not blank, no control characters, no surrounding spaces, at most 128 characters. */
    private static final Pattern LEGAL = Pattern.compile("[^\\s\\p{Cntrl}](?:[^\\p{Cntrl}]{0,126}[^\\s\\p{Cntrl}])?");

    public ServerId {
        if (value == null || !LEGAL.matcher(value).matches()) {
            throw new IllegalArgumentException("server name must be 1-128 characters without control characters or"
                    + " surrounding spaces, got " + Text.quote(value));
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
