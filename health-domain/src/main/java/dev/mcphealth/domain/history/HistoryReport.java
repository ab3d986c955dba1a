package dev.mcphealth.domain.history;

import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.ServerId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** One server's recorded history over a period: metric buckets, alerts and failures, oldest first. */
public record HistoryReport(ServerId server, Instant since, Instant until, List<HistoryBucket> buckets,
                            List<Alert> alerts, List<Failure> failures) {
    public HistoryReport {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        if (until.isBefore(since)) {
            throw new IllegalArgumentException("until " + until + " is before since " + since);
        }
        buckets = List.copyOf(buckets);
        alerts = List.copyOf(alerts);
        failures = List.copyOf(failures);
    }
}
