package dev.mcphealth.infrastructure.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.StressTestUseCase;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The provider methods, called directly (unit tests do not build components). */
class OperationsModuleTest {

    @Test
    void theExecutorIsBoundedWithNamedDaemonThreadsThatEndWhenIdle() throws Exception {
        ExecutorService executor = OperationsModule.operationsExecutor();
        try {
            ThreadPoolExecutor pool = assertInstanceOf(ThreadPoolExecutor.class, executor);
            assertEquals(2 * StressTestUseCase.MAX_CONCURRENCY, pool.getMaximumPoolSize());
            assertTrue(pool.allowsCoreThreadTimeOut(), "no thread is kept while nothing is asked");

            Future<Thread> ran = executor.submit(Thread::currentThread);
            Thread t = ran.get(10, TimeUnit.SECONDS);
            assertTrue(t.isDaemon(), "it never keeps the JVM alive");
            assertEquals("mcp-health-ops-1", t.getName());
        } finally {
            executor.shutdownNow();
            assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
