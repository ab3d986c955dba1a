package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.port.in.KeepProbeProfilesUseCase;
import dev.mcphealth.application.port.out.ProbeProfileStorePort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the servers' probe-latency profiles ({@link ProbeProfile}) in the store: restored at the first flush that can
 * read it (until then they learn nothing, so a database away at the start does not lose weeks), saved every
 * {@link #SAVE_EVERY} and at the stop.
 */
public final class ProbeProfilesService implements KeepProbeProfilesUseCase {
    /** How often what was learned is saved: a crash loses at most this much. */
    static final Duration SAVE_EVERY = Duration.ofMinutes(5);

    private final MonitorState state;
    private final ProbeProfileStorePort store;
    private boolean restored;
    private Instant lastSaved;

    ProbeProfilesService(MonitorState state, ProbeProfileStorePort store) {
        this.state = state;
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public synchronized Optional<String> keep(boolean closing) {
        Instant now = state.clock.instant();
        if (!restored) {
            Map<ServerId, ProbeProfileStorePort.StoredProbeProfile> stored = new HashMap<>();
            try {
                store.load().forEach(p -> stored.put(p.server(), p));
            } catch (StorageUnavailableException e) {
                return Optional.of("probe latency profiles not read (nothing learned until they are): "
                        + e.getMessage());
            }
            for (ServerMonitor m : state.all()) {
                ProbeProfileStorePort.StoredProbeProfile p = stored.get(m.server.id());
                synchronized (m) {
                    m.probeProfile.restore(p == null ? List.<UsageProfile.Cell>of() : p.cells(),
                            p == null ? Optional.empty() : Optional.of(p.learnedUpTo()));
                }
            }
            restored = true;
            lastSaved = now;
        }
        if (!closing && now.isBefore(lastSaved.plus(SAVE_EVERY))) {
            return Optional.empty();
        }
        List<ProbeProfileStorePort.StoredProbeProfile> changed = new ArrayList<>();
        for (ServerMonitor m : state.all()) {
            synchronized (m) {
                Optional<List<UsageProfile.Cell>> cells = m.probeProfile.changed();
                Optional<Instant> upTo = m.probeProfile.learnedUpTo();
                if (cells.isPresent() && upTo.isPresent()) {
                    changed.add(new ProbeProfileStorePort.StoredProbeProfile(m.server.id(), upTo.get(), cells.get()));
                }
            }
        }
        try {
            store.save(changed);
        } catch (StorageUnavailableException e) {
            return Optional.of("probe latency profiles not saved (kept, saved later): " + e.getMessage());
        }
        for (ProbeProfileStorePort.StoredProbeProfile p : changed) {
            ServerMonitor m = state.monitor(p.server());
            synchronized (m) {
                m.probeProfile.saved(p.learnedUpTo());
            }
        }
        lastSaved = now;
        return Optional.empty();
    }
}
