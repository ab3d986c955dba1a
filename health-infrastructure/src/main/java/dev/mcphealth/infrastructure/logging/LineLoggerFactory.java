package dev.mcphealth.infrastructure.logging;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Loggers writing to one {@link LineLog}, each at the level set for the longest matching name prefix (or the
 * default): {@code off} writes nothing.
 */
public final class LineLoggerFactory implements ILoggerFactory {
    private final LineLog log;
    private final Optional<Level> defaultLevel;
    private final TreeMap<String, Optional<Level>> byPrefix = new TreeMap<>();
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();

    /**
     * @param defaultLevel trace, debug, info, warn, error or off
     * @param byPrefix levels for logger names starting with a prefix (dev.mcphealth, io.modelcontextprotocol)
     */
    public LineLoggerFactory(LineLog log, String defaultLevel, Map<String, String> byPrefix) {
        this.log = Objects.requireNonNull(log);
        this.defaultLevel = level(defaultLevel);
        byPrefix.forEach((prefix, level) -> this.byPrefix.put(prefix, level(level)));
    }

    /** A level name as SLF4J knows it (warning = warn); anything unknown is warn. */
    static Optional<Level> level(String name) {
        String n = name == null ? "warn" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "off", "none" -> Optional.empty();
            case "trace" -> Optional.of(Level.TRACE);
            case "debug" -> Optional.of(Level.DEBUG);
            case "info" -> Optional.of(Level.INFO);
            case "error" -> Optional.of(Level.ERROR);
            default -> Optional.of(Level.WARN);
        };
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new LineLogger(n, levelOf(n).orElse(null), log));
    }

    private Optional<Level> levelOf(String name) {
        Optional<Level> found = defaultLevel;
        int longest = -1;
        for (Map.Entry<String, Optional<Level>> e : byPrefix.entrySet()) {
            String p = e.getKey();
            if ((name.equals(p) || name.startsWith(p + ".")) && p.length() > longest) {
                longest = p.length();
                found = e.getValue();
            }
        }
        return found;
    }
}
