package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.ServerId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an earlier run left open, read back when a monitor starts: a run that was killed, or stopped while a server was
 * failing, leaves its failure episodes and alerts open, and nothing else would ever close them.
 */
public interface OpenEpisodesPort {
    /** Nothing left open: a monitor with no store to read back. */
    OpenEpisodesPort NONE = new OpenEpisodesPort() {
        @Override
        public List<Failure> openFailures() {
            return List.of();
        }

        @Override
        public List<Alert> openAlerts() {
            return List.of();
        }

        @Override
        public Optional<Instant> lastProbe(ServerId server, Instant from, Instant before) {
            return Optional.empty();
        }
    };

    /**
     * Failure episodes stored as open (no resolution), oldest first.
     *
     * @throws StorageUnavailableException if the store cannot be read
     */
    List<Failure> openFailures();

    /**
     * Alerts stored as open, oldest first.
     *
     * @throws StorageUnavailableException if the store cannot be read
     */
    List<Alert> openAlerts();

    /**
     * When the last probe of {@code server} recorded at or after {@code from} and before {@code before} was made: the
     * last time a run saw it, the best-known end of what that run left open.
     *
     * @throws StorageUnavailableException if the store cannot be read
     */
    Optional<Instant> lastProbe(ServerId server, Instant from, Instant before);
}
