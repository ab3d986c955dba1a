package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.tuning.ChangeTrial;
import dev.mcphealth.domain.tuning.TrialRecord;
import java.time.Instant;
import java.util.List;

/** Where applied changes and their trials are kept (tuning_trials): what a later run and the CLI report read. */
public interface TrialStorePort {
    /**
     * Writes the trial as it is now: inserted when first seen (by server, setting and when applied), else updated.
     *
     * @throws StorageUnavailableException when it cannot be written now
     */
    void save(ChangeTrial trial);

    /**
     * Marks the trials a stopped run left running as stopped at {@code at}.
     *
     * @return how many
     * @throws StorageUnavailableException when it cannot be written now
     */
    int stopRunning(Instant at);

    /** The trials applied since {@code since}, newest first. */
    List<TrialRecord> since(Instant since);

    /** Keeps nothing: for a monitor without a database. */
    TrialStorePort NONE = new TrialStorePort() {
        @Override
        public void save(ChangeTrial trial) {
        }

        @Override
        public int stopRunning(Instant at) {
            return 0;
        }

        @Override
        public List<TrialRecord> since(Instant since) {
            return List.of();
        }
    };
}
