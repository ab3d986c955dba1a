package dev.mcphealth.application.port.in;

import java.util.Optional;

/**
 * Restores each server's probe-latency profile before it learns, and saves what it learned every few minutes and at
 * the stop: called by the monitor's flush.
 */
@FunctionalInterface
public interface KeepProbeProfilesUseCase {
    /** Restores them if not yet done, saves them when due or {@code closing}; says why it could not, if it could not. */
    Optional<String> keep(boolean closing);
}
