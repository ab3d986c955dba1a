package dev.mcphealth.infrastructure.di;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** An embedding application that keeps OTEL_* for its own SDK turns this monitor's export off. */
class MetricsModuleTest {
    @Test
    void aRunWithoutTelemetryExportsNothingWhateverTheVariablesSay() {
        RunSettings off = new RunSettings(Path.of("mcp.json"), Path.of("health.db"), false, false);
        assertTrue(MetricsModule.telemetry(() -> {
            throw new AssertionError("the metrics are not read when nothing is exported");
        }, Clock.systemUTC(), off).isEmpty());
    }
}
