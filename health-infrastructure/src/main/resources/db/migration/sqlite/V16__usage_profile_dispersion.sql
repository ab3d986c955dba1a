-- The error figure's dispersion per slot (docs/learning.md): how much more a slot's failures vary from minute to minute
-- than failures that come one by one (the mean squared Pearson residual of its minutes; 1 when they come one by one,
-- more when they come in bursts). NULL for the other figures and for cells saved before it was kept (then learned
-- from 1 again). Probe profiles are the same estimates, so their cells have it too.
ALTER TABLE usage_profile_cells ADD COLUMN dispersion REAL CHECK (dispersion IS NULL OR dispersion >= 0);
ALTER TABLE probe_profile_cells ADD COLUMN dispersion REAL CHECK (dispersion IS NULL OR dispersion >= 0);
