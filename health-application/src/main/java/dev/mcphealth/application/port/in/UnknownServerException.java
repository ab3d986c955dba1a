package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.ServerId;
import java.util.Collection;
import java.util.stream.Collectors;

/** A request named a server that is not in the configuration. */
public final class UnknownServerException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnknownServerException(Collection<ServerId> unknown, Collection<ServerId> known) {
        super((unknown.size() == 1 ? "unknown server " : "unknown servers ") + join(unknown)
                + "; configured: " + (known.isEmpty() ? "none" : join(known)));
    }

    private static String join(Collection<ServerId> ids) {
        return ids.stream().map(ServerId::value).sorted().collect(Collectors.joining(", "));
    }
}
