package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.ServerId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Where each server's probe-latency profile is kept, so that a restart keeps the weeks learned. */
public interface ProbeProfileStorePort {
    /** Keeps nothing: a monitor whose probe profiles last as long as it runs. */
    ProbeProfileStorePort NONE = new ProbeProfileStorePort() {
        @Override
        public List<StoredProbeProfile> load() {
            return List.of();
        }

        @Override
        public void save(List<StoredProbeProfile> profiles) {
            // kept nowhere
        }
    };

    /**
     * Every stored probe profile.
     *
     * @throws StorageUnavailableException if the store cannot be read now
     */
    List<StoredProbeProfile> load();

    /**
     * Replaces the stored state of each of {@code profiles} (all of them or none).
     *
     * @throws StorageUnavailableException if the store cannot take them now
     */
    void save(List<StoredProbeProfile> profiles);

    /** One server's profile, learned up to the minute that began at {@code learnedUpTo}, and its estimates. */
    record StoredProbeProfile(ServerId server, Instant learnedUpTo, List<UsageProfile.Cell> cells) {
        public StoredProbeProfile {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(learnedUpTo, "learnedUpTo");
            cells = List.copyOf(cells);
        }
    }
}
