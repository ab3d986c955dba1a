package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Waiting on logging notifications a real server sends; the waits are bounded, and the server's doing. */
final class Notifications {
    private Notifications() {
    }

    /** The first notification matching {@code wanted} within {@code limit}, skipping others. */
    static Optional<McpSchema.LoggingMessageNotification> within(
            BlockingQueue<McpSchema.LoggingMessageNotification> queue, Duration limit,
            Predicate<McpSchema.LoggingMessageNotification> wanted) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            McpSchema.LoggingMessageNotification n = queue.poll(left, TimeUnit.NANOSECONDS);
            if (n != null && wanted.test(n)) {
                return Optional.of(n);
            }
        }
    }

    /** Everything that arrives for {@code window} is at {@code level} or above. */
    static void assertNoneBelow(BlockingQueue<McpSchema.LoggingMessageNotification> queue,
                                McpSchema.LoggingLevel level, Duration window) throws InterruptedException {
        Optional<McpSchema.LoggingMessageNotification> below = within(queue, window,
                n -> n.level().level() < level.level());
        assertTrue(below.isEmpty(), "a notification below " + level + " arrived: " + below);
    }
}
