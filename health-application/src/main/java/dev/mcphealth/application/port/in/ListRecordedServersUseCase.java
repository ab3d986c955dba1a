package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.ServerId;
import java.util.List;

/** Every server the store has a row of, in name order: what a name that has none may have been meant as. */
@FunctionalInterface
public interface ListRecordedServersUseCase {
    List<ServerId> recorded();
}
