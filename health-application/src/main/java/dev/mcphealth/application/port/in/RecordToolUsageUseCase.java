package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.routing.ToolUsage;
import java.util.List;
import java.util.Optional;

/**
 * Writes each tool's windows of calls through its pool that ended since the last time (a minute each), for learning
 * usage; run with each flush of the monitor, and once more at the stop.
 */
public interface RecordToolUsageUseCase {

    /**
     * Writes the windows that ended, and when {@code closing} (the stop) the one under way too. Rows the store cannot
     * take wait, at most {@code MAX_PENDING} of them (the oldest dropped first), for the next time.
     */
    Written record(boolean closing);

    /**
     * Rows written now, rows still waiting, why the store did not take them (if it did not), and the windows that
     * ended since the last time (each once, written or not: what learning takes in).
     */
    record Written(int rows, int pending, Optional<String> problem, List<ToolUsage> ended) {
        public Written {
            ended = List.copyOf(ended);
        }

        public Written(int rows, int pending, Optional<String> problem) {
            this(rows, pending, problem, List.of());
        }
    }
}
