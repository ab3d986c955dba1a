package dev.mcphealth.domain.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them (CLI flags, MCP tool arguments): 90s, 15m, 1h, 2d, 1h30m. */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+[dhms])+");
    private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

    /**
     * The longest accepted: 100 years. Any longer is no plan anyone has, and a time that far ahead or back is past
     * what a clock and a database hold (a watch of 10^16 s failed after its servers had started).
     */
    public static final Duration MAX = Duration.ofDays(36_500);

    private Durations() {
    }

    /** @throws IllegalArgumentException naming what was wrong */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text.trim()).matches()) {
            throw new IllegalArgumentException("expected a duration like 90s, 15m, 1h, 2d or 1h30m, got \""
                    + text + "\"");
        }
        try {
            return sum(text);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration \"" + text + "\" is too long", e);
        }
    }

    private static Duration sum(String text) {
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text.trim());
        while (m.find()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("duration \"" + text + "\" is too long", e);
            }
            switch (m.group(2)) {
                case "d":
                    total = total.plusDays(n);
                    break;
                case "h":
                    total = total.plusHours(n);
                    break;
                case "m":
                    total = total.plusMinutes(n);
                    break;
                default:
                    total = total.plusSeconds(n);
                    break;
            }
        }
        if (total.isZero()) {
            throw new IllegalArgumentException("duration must be more than zero, got \"" + text + "\"");
        }
        if (total.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("duration \"" + text + "\" is too long: at most 36500d (100 years)");
        }
        return total;
    }

    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        if (s < 86400) {
            return (s / 3600) + "h" + (s % 3600 / 60 == 0 ? "" : (s % 3600 / 60) + "m");
        }
        return (s / 86400) + "d" + (s % 86400 / 3600 == 0 ? "" : (s % 86400 / 3600) + "h");
    }
}
