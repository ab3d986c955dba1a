package dev.mcphealth.adapter.cli;

import java.util.stream.Stream;

/**
 * A table's column of server names: as wide as the longest name (at least {@link #MIN}, at most {@link #MAX}
 * characters); a name longer than that is cut in the middle, so that names alike at their start ({@code
 * team-a-...-one}, {@code team-a-...-two}) still show which is which.
 */
final class NameColumn {
    static final int MIN = 24;
    static final int MAX = 80;

    private NameColumn() {
    }

    /** The width of a column holding {@code names} (as shown: escaped). */
    static int width(Stream<String> names) {
        return Math.min(MAX, Math.max(MIN, names.mapToInt(String::length).max().orElse(0)));
    }

    /** {@code name} in a column {@code width} wide: whole, or its start and its end around "…". */
    static String fit(String name, int width) {
        if (name.length() <= width) {
            return name;
        }
        int head = (width - 1) / 2;
        int tail = width - 1 - head;
        return name.substring(0, head) + "…" + name.substring(name.length() - tail);
    }
}
