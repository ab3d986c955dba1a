-- Usage anomalies (docs/learning.md): a figure of a pool's calls (tool_name '' : all its tools) that left the band its
-- hour of the week usually keeps, one row per episode. raised_at is the end of the minute that showed it; observed is
-- the figure over window_minutes minutes; expected, band_low and band_high the usual band in the figure's unit (calls
-- per minute, milliseconds, the share of calls failing), z its score. resolved_at is set when the figure is back in
-- its band, or when a later run of the monitor found the episode open (resolution then says so: the run that raised
-- it stopped before it was over, and nothing watched it since).
CREATE TABLE usage_anomalies (
    server_type TEXT NOT NULL,
    tool_name TEXT NOT NULL,
    figure TEXT NOT NULL CHECK (figure IN ('rate', 'p50', 'p95', 'errors')),
    raised_at DATETIME NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('above', 'below')),
    observed REAL NOT NULL,
    window_minutes INTEGER NOT NULL CHECK (window_minutes >= 1),
    expected REAL NOT NULL,
    band_low REAL NOT NULL,
    band_high REAL NOT NULL,
    confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    z REAL NOT NULL,
    resolved_at DATETIME,
    resolution TEXT CHECK (resolution IN ('back_in_band', 'not_watched')),
    CHECK ((resolved_at IS NULL) = (resolution IS NULL)),
    PRIMARY KEY (server_type, tool_name, figure, raised_at)
);
CREATE INDEX usage_anomalies_by_time ON usage_anomalies (raised_at);
-- The answered calls' mean latency of each tool window, in milliseconds (from the histogram's bucket midpoints:
-- within 6.25 %), for capacity estimates (Little's law needs the mean); NULL when none answered, and in rows written
-- before V13.
ALTER TABLE tool_usage ADD COLUMN mean_ms REAL;
