-- An episode's resolution to the millisecond, beside the design's whole seconds: a server back within 0.6 s is
-- resolved in 0 s there. Written with it; read in its place where present (rows written before it have only seconds).
ALTER TABLE integration_failures ADD COLUMN resolution_time_ms INTEGER;
-- What a monitor starting up reads back: the open alerts, and a server's last probe before a given time.
CREATE INDEX idx_alerts_open ON health_alerts (resolved_at, raised_at);
