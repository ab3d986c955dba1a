package dev.mcphealth.application.port.in;

/**
 * Stop taking probe results, then write everything still buffered. A probe that ends after this (one that was still
 * running when the watch was stopped, or that was interrupted) is not recorded: its outcome says more about the
 * shutdown than about the server.
 */
@FunctionalInterface
public interface StopMonitoringUseCase {
    FlushReport stop();
}
