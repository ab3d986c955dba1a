package dev.mcphealth.adapter.cli;

import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import java.time.Duration;

/** One run of {@code watch}: the running monitor, what it knows, and how to stop it without losing what it saw. */
public interface WatchSession extends AutoCloseable {
    /** Starts probing on each server's interval; returns at once. */
    void start();

    ObserveMonitoringUseCase monitor();

    /** Stops probing, waits up to {@code grace} for running probes, writes everything still buffered. */
    FlushReport stop(Duration grace);

    /** The resilient client over the watched servers (pools, breakers, recovery, failover). */
    dev.mcphealth.application.port.in.CallToolUseCase client();

    /** The failover coordinator, run by hand. */
    dev.mcphealth.application.port.in.CoordinateFailoverUseCase coordinator();

    /** Probes every server once now (a round), so that the coordinator knows where they stand. */
    void probeAll();

    /**
     * Why the database was lost while watching, once it was: its file was deleted (or replaced) and could not be made
     * again, so nothing more can be recorded.
     */
    java.util.Optional<String> storeLost();

    /**
     * Whether the database file is damaged (overwritten in place while it was written, say), checked now by reading the
     * whole file: one sentence naming the file and what SQLite found. Asked after {@link #stop}.
     */
    java.util.Optional<String> damage();

    /** Runs {@code then} once, when the database is lost (at once if it already is); it must return at once. */
    void whenStoreLost(Runnable then);

    /**
     * Serves the dashboard, the read API, the event stream, badges and {@code /metrics} of this watch over HTTP
     * ({@code --http}), from now until {@link #close}; returns the dashboard's address. The monitor's events from now
     * on are pushed to the open pages.
     *
     * @throws UsageProblem if the address cannot be bound, or is not loopback and there is no token
     */
    String serve(dev.mcphealth.adapter.web.WebServer.Settings settings);

    /** Where the results are recorded, as shown to the user. */
    String database();

    @Override
    void close();
}
