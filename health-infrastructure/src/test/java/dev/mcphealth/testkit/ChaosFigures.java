package dev.mcphealth.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The chaos campaign's scale and its figures. {@code mvn -B verify -Pchaos} sets {@code mcphealth.chaos=true}: every
 * chaos test then runs at the campaign's scale (the numbers); the normal suite runs a short version of each.
 * A single scale can be set on the command line ({@code -Dmcphealth.chaos.kills=20}). Figures are printed as
 * {@code [chaos] section: ...} and appended to {@code target/chaos/figures.txt} at the repository root, from where
 * they go into docs/reliability.md with the command and the date.
 */
public final class ChaosFigures {
    private ChaosFigures() {
    }

    /** Whether the campaign runs at full scale. */
    public static boolean full() {
        return Boolean.getBoolean("mcphealth.chaos");
    }

    /** {@code -D<property>} if given, else the campaign's or the suite's number. */
    public static int scale(String property, int suite, int campaign) {
        return Integer.getInteger(property, full() ? campaign : suite);
    }

    /** Prints one figure line and keeps it for the campaign's report. */
    public static synchronized void record(String section, String line) {
        String text = "[chaos] " + section + ": " + line;
        System.out.println(text);
        Path file = RepoPaths.root().resolve("target/chaos/figures.txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Instant.now() + " " + (full() ? "campaign" : "suite") + " " + text + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the figure in " + file, e);
        }
    }
}
