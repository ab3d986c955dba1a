package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CancellationTest {

    @Test
    void listenersAreToldOnceWithTheFirstReasonAndAtOnceWhenAlreadyCancelled() {
        Cancellation c = Cancellation.create();
        AtomicInteger told = new AtomicInteger();
        c.onCancel(told::incrementAndGet);
        Runnable off = c.onCancel(() -> told.addAndGet(100));
        off.run(); // that request ended first

        c.cancel("the user pressed stop");
        c.cancel("again");

        assertEquals(1, told.get());
        assertEquals(Optional.of("the user pressed stop"), c.reason());
        c.onCancel(told::incrementAndGet);
        assertEquals(2, told.get(), "registered after: told at once");
    }

    @Test
    void aChildIsCancelledWithItsParentOrAlone() {
        Cancellation call = Cancellation.create();
        Cancellation first = call.child();
        Cancellation hedge = call.child();

        hedge.cancel("the other copy answered first");
        assertTrue(hedge.cancelled());
        assertFalse(first.cancelled(), "a lane's cancellation is its own");
        assertFalse(call.cancelled());

        call.cancel("the user pressed stop");
        assertEquals(Optional.of("the user pressed stop"), first.reason());
        assertEquals(Optional.of("the other copy answered first"), hedge.reason());
    }

    @Test
    void neverCannotBeCancelledAndTellsNoOne() {
        assertThrows(UnsupportedOperationException.class, () -> Cancellation.NEVER.cancel("x"));
        Cancellation child = Cancellation.NEVER.child();
        assertFalse(child.cancelled());
        Cancellation.NEVER.onCancel(() -> {
            throw new AssertionError("never told");
        }).run();
    }
}
