-- The four tables of the design (shared/design/schema.sql), column for column, with its CHECK constraints and
-- defaults, plus the indexes the queries need. Later changes come as new migrations; this file never changes.

-- Integration health metrics tracking (orchestrator-monitored)
CREATE TABLE integration_health_metrics (
    id INTEGER PRIMARY KEY,
    server_type TEXT NOT NULL, -- claude_code, web_fetch, database, etc.
    server_instance TEXT,
    metric_type TEXT CHECK (metric_type IN ('response_time', 'error_rate', 'availability', 'throughput')),
    metric_value REAL,
    status TEXT CHECK (status IN ('healthy', 'warning', 'critical', 'offline')),
    details TEXT, -- JSON with additional context
    measured_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    orchestrator_task_id TEXT, -- Link to orchestrator monitoring task
    orchestrator_session_id TEXT -- Link to orchestrator session
);

-- Failure tracking and analysis (orchestrator-integrated)
CREATE TABLE integration_failures (
    id INTEGER PRIMARY KEY,
    server_type TEXT NOT NULL,
    failure_type TEXT CHECK (failure_type IN ('timeout', 'connection_error', 'authentication', 'rate_limit',
'server_error')),
    task_context TEXT,
    error_details TEXT,
    recovery_action TEXT,
    resolution_time_seconds INTEGER,
    resolved BOOLEAN DEFAULT FALSE,
    occurred_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    orchestrator_recovery_task_id TEXT -- Link to orchestrator recovery task
);

-- Failover configuration management (orchestrator-coordinated)
CREATE TABLE failover_configurations (
    id INTEGER PRIMARY KEY,
    primary_server_type TEXT NOT NULL,
    fallback_strategy TEXT,
    fallback_server_type TEXT,
    auto_recovery_enabled BOOLEAN DEFAULT TRUE,
    max_retry_attempts INTEGER DEFAULT 3,
    retry_delay_seconds INTEGER DEFAULT 30,
    health_check_interval_seconds INTEGER DEFAULT 60,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    orchestrator_failover_task_id TEXT -- Link to orchestrator failover task
);

-- Orchestrator integration tracking
CREATE TABLE orchestrator_health_integration (
    id INTEGER PRIMARY KEY,
    integration_type TEXT CHECK (integration_type IN ('self_monitoring', 'external_monitoring', 'recovery_testing')),
    orchestrator_tool TEXT, -- Which orchestrator tool is being used
    integration_status TEXT CHECK (integration_status IN ('active', 'testing', 'failed', 'disabled')),
    last_validation DATETIME,
    validation_results TEXT, -- JSON
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

-- A server's recent metrics, newest first (status, percentiles over a window).
CREATE INDEX idx_metrics_instance_type_time
    ON integration_health_metrics (server_instance, metric_type, measured_at);
-- Pruning and roll-ups by age.
CREATE INDEX idx_metrics_time ON integration_health_metrics (measured_at);
-- Failures of a type over time, and open episodes.
CREATE INDEX idx_failures_type_time ON integration_failures (server_type, occurred_at);
CREATE INDEX idx_failures_open ON integration_failures (resolved, occurred_at);
CREATE INDEX idx_failover_primary ON failover_configurations (primary_server_type);
