package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.ServerType;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Where the learned usage profiles are kept, so that a restart keeps what was learned. */
public interface UsageProfileStorePort {
    /**
     * Every stored profile.
     *
     * @throws StorageUnavailableException if the store cannot be read now
     */
    List<StoredProfile> loadProfiles();

    /**
     * Replaces the stored state of each of {@code profiles} (all of them or none).
     *
     * @throws StorageUnavailableException if the store cannot take them now
     */
    void saveProfiles(List<StoredProfile> profiles);

    /**
     * One profile: a server type's tool ({@code tool} empty: the type as a whole), learned up to the minute that began
     * at {@code learnedUpTo}, and its estimates.
     */
    record StoredProfile(ServerType serverType, String tool, Instant learnedUpTo, List<UsageProfile.Cell> cells) {
        public StoredProfile {
            Objects.requireNonNull(serverType, "serverType");
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(learnedUpTo, "learnedUpTo");
            cells = List.copyOf(cells);
        }
    }
}
