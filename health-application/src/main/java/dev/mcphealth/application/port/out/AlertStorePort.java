package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.Alert;
import java.util.List;

/** Where alerts go. An alert stored again (same id) replaces the stored one: that is how it is escalated and resolved. */
@FunctionalInterface
public interface AlertStorePort {
    /**
     * Stores all of {@code alerts} or none of them.
     *
     * @throws StorageUnavailableException if the store cannot take them now
     */
    void save(List<Alert> alerts);
}
