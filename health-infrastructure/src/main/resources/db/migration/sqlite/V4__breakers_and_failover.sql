-- Circuit-breaker transitions, and one failover configuration per primary server type.
-- Timestamps are UTC text as SqlTime writes them ("YYYY-MM-DD HH:MM:SS.SSS").

-- One row per change of a server instance's circuit breaker (closed -> open -> half_open -> closed ...).
CREATE TABLE circuit_breaker_transitions (
    id INTEGER PRIMARY KEY,
    server_instance TEXT NOT NULL,
    from_state TEXT NOT NULL CHECK (from_state IN ('closed', 'open', 'half_open')),
    to_state TEXT NOT NULL CHECK (to_state IN ('closed', 'open', 'half_open')),
    reason TEXT NOT NULL,
    occurred_at DATETIME NOT NULL,
    CHECK (from_state <> to_state)
);
-- A server's transitions over time.
CREATE INDEX idx_breaker_instance_time ON circuit_breaker_transitions (server_instance, occurred_at);

-- failover_configurations is written from the configuration, one row per primary server type, updated in place so
-- that an orchestrator_failover_task_id stored on it survives. The design's table has no unique key; a file may hold
-- several rows of one type (written by hand or by another tool). The newest (highest id) is kept, taking the newest
-- task id of the type if it has none; the others are deleted, so that the unique index can be made.
UPDATE failover_configurations
SET orchestrator_failover_task_id = (
    SELECT o.orchestrator_failover_task_id FROM failover_configurations o
    WHERE o.primary_server_type = failover_configurations.primary_server_type
      AND o.orchestrator_failover_task_id IS NOT NULL
    ORDER BY o.id DESC LIMIT 1)
WHERE orchestrator_failover_task_id IS NULL
  AND id = (SELECT MAX(k.id) FROM failover_configurations k
            WHERE k.primary_server_type = failover_configurations.primary_server_type);
DELETE FROM failover_configurations
WHERE id <> (SELECT MAX(k.id) FROM failover_configurations k
             WHERE k.primary_server_type = failover_configurations.primary_server_type);
-- The unique index serves every lookup V1's plain index served.
DROP INDEX idx_failover_primary;
CREATE UNIQUE INDEX ux_failover_primary ON failover_configurations (primary_server_type);
