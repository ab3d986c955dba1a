package dev.mcphealth.application.testkit;

import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.ServerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps appended metrics in memory; {@link #unavailable} makes every append fail as a locked database would. Held to
 * what SQLite does by {@code MetricStoreContract}.
 */
public final class InMemoryMetricStore implements MetricStorePort {
    private final List<HealthMetric> rows = new ArrayList<>();
    private int appends;
    private String unavailable;

    public synchronized InMemoryMetricStore unavailable(String reason) {
        this.unavailable = reason;
        return this;
    }

    @Override
    public synchronized void append(List<HealthMetric> metrics) {
        appends++;
        if (unavailable != null) {
            throw new StorageUnavailableException(unavailable, null);
        }
        rows.addAll(metrics);
    }

    public synchronized List<HealthMetric> rows() {
        return List.copyOf(rows);
    }

    public synchronized int appends() {
        return appends;
    }

    public synchronized List<HealthMetric> of(String server) {
        return of(ServerId.of(server));
    }

    public synchronized List<HealthMetric> of(ServerId server) {
        return rows.stream().filter(m -> m.serverInstance().equals(server)).toList();
    }

    public synchronized Optional<HealthMetric> find(String server, MetricType type) {
        return of(server).stream().filter(m -> m.metricType() == type).findFirst();
    }
}
