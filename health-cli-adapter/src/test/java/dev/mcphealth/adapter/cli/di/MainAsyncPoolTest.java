package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The common pool's parallelism is raised to 2 on small machines, unless it was set. */
class MainAsyncPoolTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(Main.COMMON_PARALLELISM);
        System.clearProperty(Main.COMMON_PARALLELISM);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(Main.COMMON_PARALLELISM);
        } else {
            System.setProperty(Main.COMMON_PARALLELISM, saved);
        }
    }

    @Test
    void twoCoresGetACommonPoolOfTwo() {
        Main.configureAsyncPool(2);
        assertEquals("2", System.getProperty(Main.COMMON_PARALLELISM));
    }

    @Test
    void oneCoreToo() {
        Main.configureAsyncPool(1);
        assertEquals("2", System.getProperty(Main.COMMON_PARALLELISM));
    }

    @Test
    void biggerMachinesKeepTheJvmDefault() {
        Main.configureAsyncPool(8);
        assertNull(System.getProperty(Main.COMMON_PARALLELISM));
    }

    @Test
    void aValueGivenOnTheCommandLineWins() {
        System.setProperty(Main.COMMON_PARALLELISM, "1");
        Main.configureAsyncPool(2);
        assertEquals("1", System.getProperty(Main.COMMON_PARALLELISM));
    }
}
