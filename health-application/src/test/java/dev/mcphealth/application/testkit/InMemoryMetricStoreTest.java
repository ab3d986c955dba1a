package dev.mcphealth.application.testkit;

import dev.mcphealth.application.port.out.MetricStoreContract;
import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.ServerId;
import java.util.List;

class InMemoryMetricStoreTest extends MetricStoreContract {
    private final InMemoryMetricStore store = new InMemoryMetricStore();

    @Override
    protected MetricStorePort store() {
        return store;
    }

    @Override
    protected List<HealthMetric> stored(ServerId server) {
        return store.of(server);
    }

    @Override
    protected void cannotTakeMetricsOf(ServerId server) {
        store.unavailable("cannot write metrics to health.db: disk is full");
    }
}
