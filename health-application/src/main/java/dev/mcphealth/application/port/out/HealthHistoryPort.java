package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.history.HistoryReport;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StatusSnapshot;
import java.time.Instant;
import java.util.List;

/** What was recorded, read back. */
public interface HealthHistoryPort {
    /**
     * The newest snapshot of every server that has one, in name order.
     *
     * @throws StorageUnavailableException if the store cannot be read
     */
    List<StatusSnapshot> statuses();

    /**
     * One server's metrics in buckets, its alerts and its failures between {@code since} and {@code until}: raw rows
     * while they are kept, hourly roll-ups before that.
     *
     * @throws StorageUnavailableException if the store cannot be read
     */
    HistoryReport history(ServerId server, Instant since, Instant until);

    /**
     * Whether the store has a row of {@code server} (metrics, roll-ups, a status, alerts, failures): a few indexed
     * look-ups.
     *
     * @throws StorageUnavailableException if the store cannot be read
     */
    boolean recorded(ServerId server);

    /**
     * Every server the store has a row of, in name order: a read of every table's names (the metrics' too), for when
     * a name has none.
     *
     * @throws StorageUnavailableException if the store cannot be read
     */
    List<ServerId> recorded();
}
