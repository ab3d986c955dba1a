package dev.mcphealth.infrastructure.logging;

import dev.mcphealth.domain.model.Printable;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.event.Level;
import org.slf4j.helpers.MessageFormatter;

/**
 * Where the CLI's and the MCP server's log lines go: one line per event on stderr, {@code mcp-health: LEVEL: message},
 * with no logger (class) name, no thread and no stack trace (an exception adds its message only, which the caller
 * already keeps free of secrets), nothing past a class name or a JVM message in it, and control characters escaped
 * ({@link Printable}), so that nothing of the program's insides and
 * nothing a hostile server sent that a terminal would obey reaches a log line.
 * <p>
 * Repeated warnings and errors are limited: the same message pattern of the same logger at the same level, about the same subject (its
 * first argument, usually a server's name), is written at most {@code burst} times per {@code window}; the rest are
 * counted and summed up once the window is over, as
 * {@code ... (repeated N more times in 60 s)}. A server printing garbage a thousand times a second costs a few
 * lines a minute. Thread-safe.
 */
public final class LineLog {
    /** The longest a message is written; the rest is cut. */
    static final int MAX_MESSAGE = 2000;
    /** How many different patterns are tracked at most (a flood of distinct ones is limited by pattern too). */
    static final int MAX_KEYS = 1000;

    private final LongSupplier nanoTime;
    private final Supplier<PrintStream> out;
    private final int burst;
    private final Duration window;
    private final Map<Key, Count> counts = new LinkedHashMap<>();

    private record Key(Level level, String logger, String pattern, String subject) {
    }

    private static final class Count {
        final long windowStart;
        int written;
        long suppressed;
        String last;

        Count(long windowStart) {
            this.windowStart = windowStart;
        }
    }

    /**
     * @param nanoTime the clock of the windows
     * @param out where lines go, asked at each line (so a test may swap System.err)
     * @param burst lines of one pattern written per window
     */
    public LineLog(LongSupplier nanoTime, Supplier<PrintStream> out, int burst, Duration window) {
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
        this.nanoTime = Objects.requireNonNull(nanoTime);
        this.out = Objects.requireNonNull(out);
        this.burst = burst;
        this.window = Objects.requireNonNull(window);
    }

    /** One event; {@code args} fill the pattern's {@code {}} as SLF4J does. */
    public void log(Level level, String logger, String pattern, Object[] args, Throwable thrown) {
        String message = withoutCode(MessageFormatter.basicArrayFormat(pattern, args));
        if (thrown != null) {
            String why = thrown.getMessage();
            message = message + " (" + (why == null || Printable.revealsCode(why) >= 0 ? "an internal error"
                    : why) + ")";
        }
        String line = line(level, message);
        if (level.toInt() < Level.WARN.toInt()) {
            // info and debug are asked for (MCP_HEALTH_LOG): all of it is written
            write(List.of(line));
            return;
        }
        List<String> lines = new ArrayList<>(2);
        long now = nanoTime.getAsLong();
        synchronized (counts) {
            summariesDue(now, lines);
            Key key = new Key(level, logger, pattern == null ? "" : pattern, subject(args));
            Count c = counts.get(key);
            if (c == null) {
                if (counts.size() >= MAX_KEYS) {
                    evictOldest(now, lines);
                }
                c = new Count(now);
                counts.put(key, c);
            }
            if (c.written < burst) {
                c.written++;
                lines.add(line);
            } else {
                c.suppressed++;
                c.last = line;
            }
        }
        write(lines);
    }

    /** Writes the summaries of windows that are over; returns how many were written. */
    public int flushSummaries() {
        List<String> lines = new ArrayList<>();
        synchronized (counts) {
            summariesDue(nanoTime.getAsLong(), lines);
        }
        write(lines);
        return lines.size();
    }

    /**
     * Writes the summary of every repeat counted so far, windows over or not (at exit). The patterns stay limited:
     * what a flood logs after it (a child process still writing while the JVM exits) is counted, not written as a new
     * burst.
     */
    public void flushAll() {
        List<String> lines = new ArrayList<>();
        long now = nanoTime.getAsLong();
        synchronized (counts) {
            counts.values().forEach(c -> {
                summary(c, now, lines);
                c.suppressed = 0;
            });
        }
        write(lines);
    }

    /** Whether some repeats wait to be summed up. */
    public boolean pending() {
        synchronized (counts) {
            return counts.values().stream().anyMatch(c -> c.suppressed > 0);
        }
    }

    private void summariesDue(long now, List<String> lines) {
        Iterator<Map.Entry<Key, Count>> it = counts.entrySet().iterator();
        while (it.hasNext()) {
            Count c = it.next().getValue();
            if (now - c.windowStart >= window.toNanos()) {
                summary(c, now, lines);
                it.remove();
            }
        }
    }

    private void evictOldest(long now, List<String> lines) {
        Iterator<Map.Entry<Key, Count>> it = counts.entrySet().iterator();
        summary(it.next().getValue(), now, lines);
        it.remove();
    }

    private static void summary(Count c, long now, List<String> lines) {
        if (c.suppressed > 0) {
            long seconds = Math.max(1, Math.round((now - c.windowStart) / 1e9));
            lines.add(c.last + " (repeated " + c.suppressed + " more time" + (c.suppressed == 1 ? "" : "s")
                    + " in " + seconds + " s)");
        }
    }

    private void write(List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        PrintStream stream = out.get();
        synchronized (stream) {
            lines.forEach(stream::println);
            stream.flush();
        }
    }

    /** The first argument when it names something (a short text), else nothing. */
    private static String subject(Object[] args) {
        if (args == null || args.length == 0 || args[0] == null || args[0] instanceof Throwable) {
            return "";
        }
        String s = String.valueOf(args[0]);
        return s.length() <= 100 ? s : "";
    }

    /** The message up to where it would show the program's code ({@link Printable#revealsCode}). */
    static String withoutCode(String message) {
        int at = Printable.revealsCode(message);
        return at < 0 ? message : message.substring(0, at) + "[internal details withheld]";
    }

    static String line(Level level, String message) {
        String text = message == null ? "" : message;
        String cut = text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "… (" + (text.length()
                - MAX_MESSAGE) + " more characters)" : text;
        return "mcp-health: " + level.name().toLowerCase(Locale.ROOT) + ": " + Printable.escape(cut);
    }
}
