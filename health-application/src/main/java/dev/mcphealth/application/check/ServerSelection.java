package dev.mcphealth.application.check;

import dev.mcphealth.application.port.in.UnknownServerTypeException;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerType;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The configured instances of some server types, as the on-demand operations select them. */
final class ServerSelection {
    private ServerSelection() {
    }

    /**
     * Every instance whose type is in {@code types} (every instance when it is empty), in name order.
     *
     * @throws UnknownServerTypeException for the first (by name) type no configured server has
     */
    static List<MonitoredServer> byType(List<MonitoredServer> configured, Set<ServerType> types) {
        Set<ServerType> known = configured.stream().map(MonitoredServer::type).collect(Collectors.toSet());
        for (ServerType asked : new TreeSet<>(types)) {
            if (!known.contains(asked)) {
                throw new UnknownServerTypeException(asked, known);
            }
        }
        return configured.stream().filter(s -> types.isEmpty() || types.contains(s.type()))
                .sorted(Comparator.comparing(MonitoredServer::id)).toList();
    }
}
