package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "9", "filesystem", "my-server_1", "org.example/tool@v1:2", "UPPER.case",
        "My Server", "-x", ".x", "a$b", "ünïcode", "GitHub (work)"})
    void acceptsAnyNameAClientAccepts(String name) {
        assertEquals(name, ServerId.of(name).value());
    }

    @Test
    void acceptsUpTo128Characters() {
        String name = "a".repeat(128);
        assertEquals(name, ServerId.of(name).value());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", " x", "x ", "tab\tname", "a\nb", "bell\u0007"})
    void refusesIllegalNames(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerId.of(name));
        assertTrue(e.getMessage().startsWith("server name must be 1-128 characters"), e.getMessage());
    }

    @Test
    void refusesMoreThan128Characters() {
        assertThrows(IllegalArgumentException.class, () -> ServerId.of("a".repeat(129)));
    }

    @Test
    void messageQuotesTheRefusedName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerId.of("bad name "));
        assertTrue(e.getMessage().endsWith("got \"bad name \""), e.getMessage());
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> ServerId.of(null));
        assertTrue(n.getMessage().endsWith("got null"), n.getMessage());
    }

    @Test
    void ordersByNameAndPrintsAsTheName() {
        assertTrue(ServerId.of("alpha").compareTo(ServerId.of("beta")) < 0);
        assertEquals("alpha", ServerId.of("alpha").toString());
        assertEquals(ServerId.of("alpha"), new ServerId("alpha"));
    }
}
