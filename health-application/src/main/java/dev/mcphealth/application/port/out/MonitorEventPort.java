package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.MonitorEvent;

/**
 * Where events go as they happen (the watch's event stream, a JSON-lines file, a webhook). Called on the probe path:
 * an implementation returns at once, never throws, and deals with its own failures (isolated, retried, counted).
 */
@FunctionalInterface
public interface MonitorEventPort {
    void publish(MonitorEvent event);
}
