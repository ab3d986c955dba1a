package dev.mcphealth.infrastructure.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.infrastructure.persistence.PostgresDatabase;
import dev.mcphealth.infrastructure.scheduler.OutboxScheduler;
import dev.mcphealth.testkit.PostgresServer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The outbox's turn on a real PostgreSQL: two processes' pools on one database, one turn between them; given back, it
 * is the other's; a holder whose session ends (its process died) holds it no more.
 */
class OutboxTurnIT {
    @Test
    void oneProcessAtATimeDeliversAndADeadOnesTurnIsFree() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String name = pg.database().database();
        try (PostgresDatabase one = PostgresDatabase.open(pg.target(name));
             PostgresDatabase two = PostgresDatabase.open(pg.target(name))) {
            OutboxTurn a = new OutboxTurn(one);
            OutboxTurn b = new OutboxTurn(two);
            Optional<OutboxScheduler.Turn.Held> first = a.take();
            assertTrue(first.isPresent(), "free: taken");
            assertTrue(b.take().isEmpty(), "the other's while it delivers");
            first.get().close();
            Optional<OutboxScheduler.Turn.Held> second = b.take();
            assertTrue(second.isPresent(), "given back: the other's turn");
            assertTrue(a.take().isEmpty());
            // b's process dies mid-pass: its sessions end, and the database lets the lock go with them
            two.close();
            long deadline = System.nanoTime() + 10_000_000_000L;
            Optional<OutboxScheduler.Turn.Held> third = a.take();
            while (third.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100); // the server ends the closed session on its own schedule
                third = a.take();
            }
            assertTrue(third.isPresent(), "a dead holder's turn is free");
            third.get().close();
        } finally {
            pg.drop(name);
        }
    }
}
