package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.ServerType;
import java.util.Set;
import java.util.stream.Collectors;

/** A server type that no configured server has. */
public final class UnknownServerTypeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnknownServerTypeException(ServerType asked, Set<ServerType> known) {
        super("no server has type " + asked.value() + "; the configured types are "
                + known.stream().map(ServerType::value).sorted().collect(Collectors.joining(", ")));
    }
}
