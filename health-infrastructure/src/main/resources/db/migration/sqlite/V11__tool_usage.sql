-- Each tool's windows (a minute) of calls through its pool, from the gateway and from programs embedding the library,
-- for learning each server's usage (docs/storage.md#tool-usage): one row per tool and window that had calls, written
-- once the window ended (at the stop, the window under way). Several processes may write the same tool's same window
-- (a gateway and a program using the library): rows are not unique per window; add their calls up.
-- Timestamps are UTC text as SqlTime writes them ("YYYY-MM-DD HH:MM:SS.SSS").
CREATE TABLE tool_usage (
    id INTEGER PRIMARY KEY,
    server_type TEXT NOT NULL,
    tool_name TEXT NOT NULL,
    window_start DATETIME NOT NULL,
    window_ms INTEGER NOT NULL CHECK (window_ms > 0),
    calls INTEGER NOT NULL CHECK (calls > 0),
    failures INTEGER NOT NULL CHECK (failures >= 0 AND failures <= calls),
    -- the answered calls' quantiles in milliseconds (within 12.5 %); NULL when none answered
    p50_ms REAL,
    p95_ms REAL,
    p99_ms REAL
);
-- The windows of a period (reading, and pruning with the raw metrics' retention).
CREATE INDEX idx_tool_usage_time ON tool_usage (window_start);
-- One tool's windows over time.
CREATE INDEX idx_tool_usage_tool_time ON tool_usage (server_type, tool_name, window_start);
