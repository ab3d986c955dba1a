package dev.mcphealth.application.testkit;

import dev.mcphealth.application.port.out.OpenEpisodesPort;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.ServerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an earlier run left in its stores, in memory: failures kept as the failure store keeps them (one per server,
 * type and start), alerts by id, and probe times; read back as {@link OpenEpisodesPort} reads the database.
 */
public final class InMemoryOpenEpisodes implements OpenEpisodesPort {
    private final InMemoryFailureStore failures = new InMemoryFailureStore();
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private final TreeMap<Instant, List<ServerId>> probes = new TreeMap<>();

    public synchronized InMemoryOpenEpisodes recorded(Failure... rows) {
        failures.record(List.of(rows));
        return this;
    }

    public synchronized InMemoryOpenEpisodes saved(Alert... rows) {
        for (Alert a : rows) {
            alerts.put(a.id(), a);
        }
        return this;
    }

    public synchronized InMemoryOpenEpisodes probed(ServerId server, Instant at) {
        probes.computeIfAbsent(at, t -> new ArrayList<>()).add(server);
        return this;
    }

    @Override
    public synchronized List<Failure> openFailures() {
        return failures.rows().stream().filter(f -> f.resolutionTime().isEmpty())
                .sorted(Comparator.comparing(Failure::occurredAt)).toList();
    }

    @Override
    public synchronized List<Alert> openAlerts() {
        return alerts.values().stream().filter(a -> !a.resolved()).sorted(Comparator.comparing(Alert::raisedAt))
                .toList();
    }

    @Override
    public synchronized Optional<Instant> lastProbe(ServerId server, Instant from, Instant before) {
        return probes.subMap(from, true, before, false).descendingMap().entrySet().stream()
                .filter(e -> e.getValue().contains(server)).map(Map.Entry::getKey).findFirst();
    }
}
