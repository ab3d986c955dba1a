package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.routing.ToolUsage;
import java.util.List;
import java.util.Optional;

/**
 * Learns each server type's and tool's week ({@code UsageProfile}) from the windows of calls through the pools as they
 * end: fed by {@link RecordToolUsageUseCase} with each window once.
 */
public interface LearnUsageUseCase {
    /** Learns nothing: for a program that keeps no profiles. */
    LearnUsageUseCase NONE = (windows, through, closing) -> new Learned(0, 0, Optional.empty());

    /**
     * Learns {@code windows} (those that ended since the last time, each once) and the minutes without calls of every
     * tool seen since this run began; when {@code closing} (the stop), saves what was learned whatever the time.
     */
    default Learned learn(List<ToolUsage> windows, boolean closing) {
        return learn(windows, java.time.Instant.MAX, closing);
    }

    /**
     * As above, learning the minutes without calls only up to {@code through} (or now, if earlier): the time the
     * windows were collected at, taken before they were, so that a minute that ended while they were being written is
     * not learned as idle before its window arrives.
     */
    Learned learn(List<ToolUsage> windows, java.time.Instant through, boolean closing);

    /** The profiles learned from, the minutes learned now, and why saving failed (if it did). */
    record Learned(int profiles, long minutes, Optional<String> problem) {
    }
}
