package dev.mcphealth.infrastructure.logging;

import java.util.Objects;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

/** An SLF4J logger writing to a {@link LineLog} at and above its level. */
final class LineLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private final transient LineLog log;
    /** The lowest level written; null writes nothing. */
    private final Level threshold;

    LineLogger(String name, Level threshold, LineLog log) {
        this.name = Objects.requireNonNull(name);
        this.threshold = threshold;
        this.log = Objects.requireNonNull(log);
    }

    private boolean enabled(Level level) {
        return threshold != null && level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                               Throwable thrown) {
        log.log(level, name, pattern, args, thrown);
    }
}
