-- The monitoring engine's tables: alerts, the current status of every server, and hourly roll-ups of the raw metrics.
-- Timestamps are UTC text as SqlTime writes them ("YYYY-MM-DD HH:MM:SS.SSS"), like the design's tables, so they sort
-- and compare as text and SQLite's date functions read them.

-- One row per alert episode. The id is the domain's (server and start), so saving the alert again (escalated,
-- resolved) updates this row instead of adding one.
CREATE TABLE health_alerts (
    id TEXT PRIMARY KEY,
    server_instance TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('warning', 'critical')),
    message TEXT NOT NULL,
    raised_at DATETIME NOT NULL,
    resolved_at DATETIME, -- NULL while the alert is open
    CHECK (resolved_at IS NULL OR resolved_at >= raised_at)
);
-- History: a server's alerts raised or resolved in a period (an alert is resolved after it is raised, so both are
-- found by a range on raised_at ending at the period's end).
CREATE INDEX idx_alerts_instance_raised ON health_alerts (server_instance, raised_at);

-- What the monitor knows of each server now, so another process (mcp-health status) sees what a running monitor sees.
-- One row per server, replaced on every save. The columns beside the JSON are there for plain SQL readers.
CREATE TABLE server_status (
    server_instance TEXT PRIMARY KEY,
    server_type TEXT NOT NULL,
    status TEXT CHECK (status IN ('healthy', 'warning', 'critical', 'offline')), -- NULL before the first probe
    since DATETIME, -- when the status began; NULL before the first probe
    updated_at DATETIME NOT NULL,
    snapshot TEXT NOT NULL -- JSON: the whole snapshot (docs/storage.md)
);

-- One row per server instance, metric type and hour: what the raw rows of that hour were, kept after they are deleted.
-- The percentiles are nearest-rank over the hour's values; worst_status is the worst status recorded in the hour.
CREATE TABLE integration_health_rollups (
    id INTEGER PRIMARY KEY,
    server_type TEXT NOT NULL,
    server_instance TEXT NOT NULL,
    metric_type TEXT NOT NULL CHECK (metric_type IN ('response_time', 'error_rate', 'availability', 'throughput')),
    hour_start DATETIME NOT NULL, -- a whole UTC hour: "YYYY-MM-DD HH:00:00.000"
    samples INTEGER NOT NULL CHECK (samples > 0),
    min_value REAL NOT NULL,
    max_value REAL NOT NULL,
    mean_value REAL NOT NULL,
    p50 REAL NOT NULL,
    p95 REAL NOT NULL,
    p99 REAL NOT NULL,
    worst_status TEXT NOT NULL CHECK (worst_status IN ('healthy', 'warning', 'critical', 'offline')),
    -- An hour is rolled up once (INSERT OR IGNORE); its index also serves history's per-server range reads.
    UNIQUE (server_instance, metric_type, hour_start)
);
-- Pruning roll-ups by age.
CREATE INDEX idx_rollups_hour ON integration_health_rollups (hour_start);

-- No new index on integration_health_metrics: history and the roll-ups read one server's rows per metric type and time
-- range, which V1's idx_metrics_instance_type_time (server_instance, metric_type, measured_at) serves, and a server's
-- oldest raw row is one MIN per metric type on it. An index on (server_instance, measured_at) would only cost every
-- insert on the busiest table.
-- Failures in a period and the failure upsert (server_instance, failure_type, occurred_at) use V2's
-- idx_failures_instance_time (server_instance, occurred_at).
