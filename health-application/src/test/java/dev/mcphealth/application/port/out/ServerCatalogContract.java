package dev.mcphealth.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What {@link ServerCatalogPort} promises, held against the test double ({@code FixedCatalog}), the running monitor's
 * catalog ({@code LiveServerCatalog}) and the loaded configuration ({@code HealthConfig}) alike: the servers in their
 * configured order, each once; each found by its id, an unknown id found empty; a list its reader cannot change. A
 * subclass gives a catalog of three servers named {@link #NAMES}, in that order.
 */
public abstract class ServerCatalogContract {
    /** The servers the catalog holds, in order (not sorted: the order is the configuration's). */
    protected static final List<String> NAMES = List.of("gamma", "alpha", "beta");

    protected abstract ServerCatalogPort catalog();

    @Test
    void theServersAreListedInTheirConfiguredOrderEachOnce() {
        List<String> names = catalog().servers().stream().map(s -> s.id().value()).toList();
        assertEquals(NAMES, names);
        assertEquals(names, catalog().servers().stream().map(s -> s.id().value()).toList(), "read again, the same");
    }

    @Test
    void eachServerIsFoundByItsIdAndAnUnknownOneIsEmpty() {
        ServerCatalogPort c = catalog();
        for (MonitoredServer s : c.servers()) {
            assertEquals(Optional.of(s), c.server(s.id()));
        }
        assertEquals(Optional.empty(), c.server(ServerId.of("delta")));
    }

    @Test
    void theListCannotBeChangedByItsReader() {
        List<MonitoredServer> servers = catalog().servers();
        assertThrows(UnsupportedOperationException.class, () -> servers.remove(0));
        assertEquals(NAMES.size(), catalog().servers().size());
    }
}
