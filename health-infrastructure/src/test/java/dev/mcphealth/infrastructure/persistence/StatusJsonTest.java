package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The snapshot JSON is a stored format other processes read: its exact shape is pinned here (docs/storage.md). */
class StatusJsonTest {
    private static final Instant AT = Instant.parse("2026-11-23T10:16:00.500Z");

    @Test
    void aFullSnapshotHasTheDocumentedShape() {
        assertEquals("{\"version\":1,\"server\":\"everything-1\",\"serverType\":\"everything\",\"status\":\"warning\","
                + "\"since\":\"2026-11-23T10:15:30.123Z\",\"updatedAt\":\"2026-11-23T10:16:00.500Z\","
                + "\"sla\":{\"probes\":120,\"answered\":118,\"observedMs\":3600123.456789,\"downMs\":600.000001,"
                + "\"target\":0.999},\"windows\":["
                + "{\"window\":\"PT1M\",\"calls\":10,\"errors\":1,\"probes\":6,\"answeredProbes\":5,"
                + "\"p50Ms\":1.25,\"p95Ms\":3,\"p99Ms\":3.000001},"
                + "{\"window\":\"PT15M\",\"calls\":0,\"errors\":0,\"probes\":0,\"answeredProbes\":0,"
                + "\"p50Ms\":null,\"p95Ms\":null,\"p99Ms\":null},"
                + "{\"window\":\"PT1H\",\"calls\":400,\"errors\":0,\"probes\":360,\"answeredProbes\":360,"
                + "\"p50Ms\":2000,\"p95Ms\":12000.000345,\"p99Ms\":60000}],"
                + "\"lastFailure\":{\"type\":\"timeout\",\"message\":\"no answer within 10 s\"},"
                + "\"lastFailureAt\":\"2026-11-23T10:14:00Z\","
                + "\"details\":{\"a\":\"b \\\"quoted\\\" ü\",\"bufferDepth\":\"0\"}}",
                StatusJson.write(Snapshots.full("everything-1", AT)));
    }

    @Test
    void anEmptySnapshotWritesEveryKeyWithNulls() {
        assertEquals("{\"version\":1,\"server\":\"m\",\"serverType\":\"memory\",\"status\":null,\"since\":null,"
                + "\"updatedAt\":\"2026-11-23T10:16:00.500Z\",\"sla\":{\"probes\":0,\"answered\":0,\"observedMs\":0,"
                + "\"downMs\":0,\"target\":1.0},"
                + "\"windows\":[],\"lastFailure\":null,\"lastFailureAt\":null,\"details\":{}}",
                StatusJson.write(Snapshots.empty("m", AT)));
    }

    @Test
    void snapshotsRoundTripExactly() {
        assertEquals(Snapshots.full("e", AT), StatusJson.read(StatusJson.write(Snapshots.full("e", AT))));
        assertEquals(Snapshots.empty("m", AT), StatusJson.read(StatusJson.write(Snapshots.empty("m", AT))));
    }

    @Test
    void missingOptionalKeysAndUnknownKeysAreTolerated() {
        String json = "{\"version\":1,\"server\":\"m\",\"serverType\":\"memory\","
                + "\"updatedAt\":\"2026-11-23T10:16:00.500Z\","
                + "\"sla\":{\"probes\":0,\"answered\":0,\"target\":1.0},\"windows\":[],\"details\":{},\"added\":true}";
        assertEquals(Snapshots.empty("m", AT), StatusJson.read(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "{\"version\":2}",
        "{\"version\":1,\"server\":\"m\"}",
        "{\"version\":1,\"server\":\"m\",\"serverType\":\"memory\",\"updatedAt\":\"yesterday\",\"sla\":{\"probes\":0,"
                + "\"answered\":0,\"target\":1.0},\"windows\":[],\"details\":{}}",
        "{\"version\":1,\"server\":\"m\",\"serverType\":\"memory\",\"updatedAt\":\"2026-11-23T10:16:00Z\",\"sla\":{"
                + "\"probes\":1,\"answered\":2,\"target\":1.0},\"windows\":[],\"details\":{}}",
        "{\"version\":1,\"server\":\"m\",\"serverType\":\"memory\",\"updatedAt\":\"2026-11-23T10:16:00Z\",\"sla\":{"
                + "\"probes\":0,\"answered\":0,\"target\":1.0},\"windows\":[{\"window\":\"PT1M\",\"calls\":0,"
                + "\"errors\":0,\"probes\":0,\"answeredProbes\":0,\"p50Ms\":0.0000001}],\"details\":{}}"})
    void whatIsNotASnapshotIsRefusedWithAReason(String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StatusJson.read(json));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    @Test
    void aNewerFormatIsRefusedAsNewer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StatusJson.read("{\"version\":2,\"server\":\"m\"}"));
        assertEquals("format 2 is not 1: written by a newer MCP Health", e.getMessage());
    }
}
