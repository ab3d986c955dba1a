package dev.mcphealth.adapter.cli;

import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.MonitorEvent;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Opens a {@link WatchSession}. Events go to {@code jsonEvents} as JSON lines when given, to {@code listener} always, and
 * to the sinks the configuration names (health.alerts). A configuration or database that cannot be used is a
 * {@link UsageProblem}.
 */
@FunctionalInterface
public interface WatchSessions {
    /**
     * @param sharesWork whether the monitor takes part in its database's cluster (PostgreSQL, docs/cluster.md): a
     *     {@code watch} does; {@code call} and {@code failover}, which run it only while they work, do not
     */
    WatchSession open(Path config, Optional<String> database, Optional<Duration> interval, CheckDepth depth,
                      Optional<PrintWriter> jsonEvents, Consumer<MonitorEvent> listener, boolean sharesWork);
}
