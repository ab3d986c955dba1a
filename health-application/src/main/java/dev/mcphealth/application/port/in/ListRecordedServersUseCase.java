package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.ServerId;
import java.util.List;

/** The servers the store has rows of: what a name with none may have been meant as. */
public interface ListRecordedServersUseCase {
    /** Whether the store has a row of {@code server}: cheap. */
    boolean recorded(ServerId server);

    /** Every server the store has a row of, in name order: a read of every table's names. */
    List<ServerId> recorded();
}
