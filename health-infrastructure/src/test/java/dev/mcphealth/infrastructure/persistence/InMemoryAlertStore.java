package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.AlertStorePort;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.ServerId;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Alerts in memory, by id: the fake that {@link AlertStoreContract} holds to the same rules as the SQLite store. */
final class InMemoryAlertStore implements AlertStorePort {
    private final Map<String, Alert> alerts = new LinkedHashMap<>();

    @Override
    public synchronized void save(List<Alert> batch) {
        batch.forEach(a -> alerts.put(a.id(), a));
    }

    synchronized List<Alert> of(ServerId server) {
        return alerts.values().stream().filter(a -> a.server().equals(server))
                .sorted(Comparator.comparing(Alert::raisedAt).thenComparing(Alert::id)).collect(Collectors.toList());
    }
}
