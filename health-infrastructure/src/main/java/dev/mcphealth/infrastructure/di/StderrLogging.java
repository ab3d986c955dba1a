package dev.mcphealth.infrastructure.di;

import dev.mcphealth.infrastructure.logging.LineLog;
import dev.mcphealth.infrastructure.logging.LineLoggerFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The logging backend of the CLI and the MCP server (registered in their jars only; the library brings none):
 * {@link LineLog} on stderr, on the real clock, with levels from the system properties {@link ProcessDefaults#logging}
 * sets: {@code mcphealth.log.level} for every logger, {@code mcphealth.log.level.PREFIX} for the loggers under a name
 * prefix. Summaries of limited repeats are written every 10 s and at exit.
 */
public final class StderrLogging implements SLF4JServiceProvider {
    public static final String LEVEL = "mcphealth.log.level";
    /** Lines of one pattern written per window before repeats are only counted. */
    static final int BURST = 5;
    static final Duration WINDOW = Duration.ofSeconds(60);

    private LineLoggerFactory factory;
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public void initialize() {
        LineLog log = new LineLog(System::nanoTime, () -> System.err, BURST, WINDOW);
        Map<String, String> byPrefix = new HashMap<>();
        // whoever makes the first logger: the SDK never below error (its lower levels carry response bodies, which may
        // echo credentials), Reactor never (its dropped errors quote them too); ProcessDefaults.logging sets the same
        byPrefix.put("io.modelcontextprotocol", "error");
        byPrefix.put("reactor", "off");
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(LEVEL + "."))
                .forEach(k -> byPrefix.put(k.substring(LEVEL.length() + 1), System.getProperty(k)));
        factory = new LineLoggerFactory(log, System.getProperty(LEVEL, "warn"), byPrefix);
        ScheduledExecutorService summaries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mcp-health-log-summaries");
            t.setDaemon(true);
            return t;
        });
        summaries.scheduleWithFixedDelay(log::flushSummaries, 10, 10, TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (log.pending()) {
                log.flushAll();
            }
        }, "mcp-health-log-last-summaries"));
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }
}
