package dev.mcphealth.infrastructure.events;

import dev.mcphealth.domain.model.MonitorEvent;

/**
 * One place events go (a JSON-lines file or stream, a webhook). {@link EventFanout} calls a sink from one thread at a
 * time, in publishing order, and owns retries, counting and logging: a sink only tries once and says how it went.
 * A sink that throws is treated as having failed in a way worth retrying.
 */
public interface EventSink extends AutoCloseable {

    /** A name safe to log and to show: never a secret (a webhook is named by scheme, host and port only). */
    String name();

    /** One attempt to deliver {@code event}. */
    Delivery deliver(MonitorEvent event);

    /** Releases what the sink holds (an open file). Called once, after its last delivery. */
    @Override
    default void close() {
    }
}
