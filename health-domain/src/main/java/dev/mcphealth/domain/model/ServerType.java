package dev.mcphealth.domain.model;

import java.util.regex.Pattern;

/**
 * What a server does ({@code claude_code}, {@code web_fetch}, {@code database}, ...). Instances of one type are
 * interchangeable and form a failover pool.
 */
public record ServerType(String value) implements Comparable<ServerType> {
    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public ServerType {
        if (value == null || !LEGAL.matcher(value).matches()) {
            throw new IllegalArgumentException("server type must be 1-64 characters of letters, digits and . _ -"
                    + " starting with a letter or digit, got " + Text.quote(value));
        }
    }

    public static ServerType of(String value) {
        return new ServerType(value);
    }

    @Override
    public int compareTo(ServerType other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
