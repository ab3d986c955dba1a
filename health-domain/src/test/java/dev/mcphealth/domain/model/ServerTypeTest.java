package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerTypeTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "claude_code", "web_fetch", "db-1.2", "X9"})
    void acceptsLegalNames(String name) {
        assertEquals(name, ServerType.of(name).value());
    }

    @Test
    void acceptsUpTo64Characters() {
        assertEquals(64, ServerType.of("t".repeat(64)).value().length());
        assertThrows(IllegalArgumentException.class, () -> ServerType.of("t".repeat(65)));
    }

    /** Unlike server names, types allow no / @ : (they name pools, not packages). */
    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"a/b", "a@b", "a:b", "_x", "-x", ".x", "a b", "ä"})
    void refusesIllegalNames(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerType.of(name));
        assertTrue(e.getMessage().startsWith("server type must be 1-64 characters"), e.getMessage());
    }

    @Test
    void ordersByNameAndPrintsAsTheName() {
        assertTrue(ServerType.of("database").compareTo(ServerType.of("web_fetch")) < 0);
        assertEquals("database", ServerType.of("database").toString());
    }
}
