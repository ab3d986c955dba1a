package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.learning.AnomalyEpisode;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.ServerType;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Where the learned usage profiles are kept, so that a restart keeps what was learned, and the anomalies seen. */
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
     * Records anomalies raised and over: each is written whole, keyed by its pool, tool, figure and the time it was
     * raised (writing one again replaces it; all of them or none).
     *
     * @throws StorageUnavailableException if the store cannot take them now
     */
    void saveAnomalies(List<AnomalyEpisode> anomalies);

    /**
     * Marks the anomalies still open, left by a run that stopped before they were over, as not watched to their end
     * at {@code at}; says how many.
     *
     * @throws StorageUnavailableException if the store cannot take it now
     */
    int closeOpenAnomalies(Instant at);

    /**
     * The anomalies raised at or after {@code since}, oldest first.
     *
     * @throws StorageUnavailableException if the store cannot be read now
     */
    List<AnomalyEpisode> anomalies(Instant since);

    /**
     * One profile: a server type's tool ({@code tool} empty: the type as a whole), learned up to the minute that began
     * at {@code learnedUpTo}, its estimates, and its demand trend (a type's profile only).
     */
    record StoredProfile(ServerType serverType, String tool, Instant learnedUpTo, List<UsageProfile.Cell> cells,
                         java.util.Optional<dev.mcphealth.domain.learning.DemandTrend.State> trend) {
        public StoredProfile {
            Objects.requireNonNull(serverType, "serverType");
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(learnedUpTo, "learnedUpTo");
            cells = List.copyOf(cells);
            Objects.requireNonNull(trend, "trend");
        }

        /** Without a trend. */
        public StoredProfile(ServerType serverType, String tool, Instant learnedUpTo, List<UsageProfile.Cell> cells) {
            this(serverType, tool, learnedUpTo, cells, java.util.Optional.empty());
        }
    }
}
