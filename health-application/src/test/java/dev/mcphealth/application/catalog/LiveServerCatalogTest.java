package dev.mcphealth.application.catalog;

import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.TestServers;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.TransportKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LiveServerCatalogTest {
    private static final MonitoredServer B = aServer().named("b").ofType("search").build();
    private static final MonitoredServer A = aServer().named("a").ofType("search").build();

    @Test
    void startsAsConfiguredInTheConfiguredOrder() {
        LiveServerCatalog catalog = new LiveServerCatalog(new FixedCatalog(B, A));

        assertEquals(List.of(B, A), catalog.servers());
        assertEquals(Optional.of(A), catalog.server(A.id()));
        assertEquals(Optional.empty(), catalog.server(ServerId.of("c")));
    }

    @Test
    void aReplacedServerIsSeenByEveryReaderFromThenOnAndTheOthersStay() {
        LiveServerCatalog catalog = new LiveServerCatalog(new FixedCatalog(B, A));
        List<MonitoredServer> before = catalog.servers();
        MonitoredServer faster = B.withTimeout(Duration.ofSeconds(2));

        assertEquals(B, catalog.replace(faster));

        assertEquals(List.of(faster, A), catalog.servers());
        assertEquals(Optional.of(faster), catalog.server(B.id()));
        assertEquals(List.of(B, A), before, "a list already read does not change under its reader");
    }

    @Test
    void onlyAKnownServerMayBeReplacedAndOnlyByItself() {
        LiveServerCatalog catalog = new LiveServerCatalog(new FixedCatalog(B, A));

        assertThrows(UnknownServerException.class,
                () -> catalog.replace(aServer().named("c").ofType("search").build()));
        assertThrows(IllegalArgumentException.class,
                () -> catalog.replace(aServer().named("a").ofType("database").build()));
        assertThrows(IllegalArgumentException.class,
                () -> catalog.replace(aServer().named("a").ofType("search").over(TransportKind.STREAMABLE_HTTP)
                        .build()));
        assertEquals(List.of(B, A), catalog.servers());
    }

    @Test
    void aServerConfiguredTwiceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LiveServerCatalog(new FixedCatalog(A, A)));
    }
}
