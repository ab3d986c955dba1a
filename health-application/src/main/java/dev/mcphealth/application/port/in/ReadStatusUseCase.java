package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.StatusSnapshot;
import java.util.List;

/** What a running (or the last) watch recorded of every server, read from the store. */
@FunctionalInterface
public interface ReadStatusUseCase {
    List<StatusSnapshot> read();
}
