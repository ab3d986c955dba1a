package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.RetentionReport;
import java.time.Instant;

/** Keeps stored history bounded: roll raw rows up by the hour, then delete what is past its retention. */
@FunctionalInterface
public interface RetentionPort {
    /**
     * Rolls up every complete hour before {@code rollUpBefore} not yet rolled up (p50/p95/p99, min, max, mean and count
     * per server and metric), then deletes raw metric rows measured before {@code rawBefore} and roll-ups of hours
     * before {@code rollupsBefore}. Raw rows are never deleted before their hour is rolled up.
     *
     * @throws StorageUnavailableException if the store cannot be changed now
     */
    RetentionReport prune(Instant rollUpBefore, Instant rawBefore, Instant rollupsBefore);
}
