package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class MonitoredServerTest {
    private static final ServerType TYPE = ServerType.of("files");

    private static MonitoredServer server(Duration timeout, Duration connectTimeout) {
        return new MonitoredServer(ServerId.of("fs"), TYPE, TransportKind.STDIO, timeout, connectTimeout,
                Thresholds.DEFAULTS, FailoverConfig.defaultsFor(TYPE));
    }

    private static String refused(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void acceptsTimeoutsFromOneMillisecondToTenMinutes() {
        assertDoesNotThrow(() -> server(Duration.ofMillis(1), Duration.ofMillis(1)));
        assertDoesNotThrow(() -> server(MonitoredServer.MAX_TIMEOUT, MonitoredServer.MAX_TIMEOUT));
        assertDoesNotThrow(() -> server(MonitoredServer.DEFAULT_TIMEOUT, MonitoredServer.DEFAULT_CONNECT_TIMEOUT));
    }

    @Test
    void withTimeoutChangesOnlyTheTimeoutAndValidatesIt() {
        MonitoredServer s = server(MonitoredServer.DEFAULT_TIMEOUT, MonitoredServer.DEFAULT_CONNECT_TIMEOUT);

        MonitoredServer faster = s.withTimeout(Duration.ofSeconds(3));

        assertEquals(new MonitoredServer(s.id(), s.type(), s.transport(), Duration.ofSeconds(3), s.connectTimeout(),
                s.thresholds(), s.failover()), faster);
        assertEquals("timeoutMs must be 1..600000, got 600001",
                refused(() -> s.withTimeout(Duration.ofMillis(600_001))));
    }

    @Test
    void refusesTimeoutsOutOfRange() {
        Duration ok = Duration.ofSeconds(1);
        assertEquals("timeoutMs must be 1..600000, got 0", refused(() -> server(Duration.ZERO, ok)));
        assertEquals("timeoutMs must be 1..600000, got -5", refused(() -> server(Duration.ofMillis(-5), ok)));
        assertEquals("timeoutMs must be 1..600000, got 600001", refused(() -> server(Duration.ofMillis(600_001), ok)));
        assertEquals("timeoutMs must be 1..600000, got null", refused(() -> server(null, ok)));
    }

    @Test
    void refusesConnectTimeoutsOutOfRange() {
        Duration ok = Duration.ofSeconds(1);
        assertEquals("connectTimeoutMs must be 1..600000, got 0", refused(() -> server(ok, Duration.ZERO)));
        assertEquals("connectTimeoutMs must be 1..600000, got 600001",
                refused(() -> server(ok, Duration.ofMillis(600_001))));
        assertEquals("connectTimeoutMs must be 1..600000, got null", refused(() -> server(ok, null)));
    }

    @Test
    void failoverMustBeForTheServersOwnType() {
        String m = refused(() -> new MonitoredServer(ServerId.of("fs"), TYPE, TransportKind.STDIO,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Thresholds.DEFAULTS,
                FailoverConfig.defaultsFor(ServerType.of("other"))));
        assertEquals("failover configuration is for other but the server's type is files", m);
    }
}
